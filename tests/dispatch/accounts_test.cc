// Passwords, sessions and tokens, decided by the engine like any command.
#include <doctest/doctest.h>

#include "support/world.h"

namespace dispatch {
namespace {

using model::Code;

model::Command SetPassword(const std::string& user, const std::string& password,
                           const std::string& current = "") {
  model::Command c;
  c.mutable_set_password()->set_user(user);
  c.mutable_set_password()->set_password(password);
  c.mutable_set_password()->set_current_password(current);
  return c;
}

}  // namespace

TEST_CASE("an admin's first password must be changed before anything else is done") {
  testing::World w;
  w.Must(SetPassword("chan_sz", "harbour-lantern-42"), "admin");
  auto key = w.dispatcher->Login("chan_sz", "harbour-lantern-42");
  REQUIRE_MESSAGE(key.ok(), key.status().ToString());
  CHECK(key->kind() == "session");
  CHECK(key->must_change_password());
  CHECK(key->secret().rfind("dsp_", 0) == 0);
  auto actor = w.dispatcher->Authenticate(key->secret());
  REQUIRE(actor.ok());
  CHECK(actor->user == "chan_sz");
  CHECK(actor->must_change_password);
  auto refused = w.dispatcher->ExecuteAs(testing::OpenCaseCommand("escort_to_port", "SZ"), *actor);
  CHECK(refused.status().code() == Code::kPermissionDenied);
  CHECK(refused.status().message().rfind("change your password first", 0) == 0);
  // Changing it needs the current one.
  CHECK(w.dispatcher->ExecuteAs(SetPassword("", "typhoon-signal-8-now", "wrong"), *actor)
            .status().message() == "the current password is not right");
  // Keeping the password given is no change: whoever gave it knows it.
  CHECK(w.dispatcher->ExecuteAs(SetPassword("", "harbour-lantern-42", "harbour-lantern-42"), *actor)
            .status().message() == "choose a new password, not the one you have now");
  REQUIRE(w.dispatcher->ExecuteAs(SetPassword("", "typhoon-signal-8-now", "harbour-lantern-42"),
                                  *actor).ok());
  actor = w.dispatcher->Authenticate(key->secret());
  REQUIRE(actor.ok());
  CHECK_FALSE(actor->must_change_password);
  CHECK(w.dispatcher->ExecuteAs(testing::OpenCaseCommand("escort_to_port", "SZ"), *actor).ok());
  // The old password no longer signs in; the new one does.
  CHECK_FALSE(w.dispatcher->Login("chan_sz", "harbour-lantern-42").ok());
  CHECK(w.dispatcher->Login("chan_sz", "typhoon-signal-8-now").ok());
}

TEST_CASE("a wrong password and an unknown user are answered alike") {
  testing::World w;
  w.Must(SetPassword("chan_sz", "harbour-lantern-42"), "admin");
  const auto wrong = w.dispatcher->Login("chan_sz", "harbour-lantern-43").status();
  const auto nobody = w.dispatcher->Login("nobody_sz", "harbour-lantern-42").status();
  const auto no_password = w.dispatcher->Login("lee_sz", "harbour-lantern-42").status();
  CHECK(wrong.code() == Code::kPermissionDenied);
  CHECK(wrong.ToString() == nobody.ToString());
  CHECK(wrong.ToString() == no_password.ToString());
}

TEST_CASE("passwords are long enough and not the user name, and only an admin sets another's") {
  testing::World w;
  CHECK(w.dispatcher->Execute(SetPassword("chan_sz", "short"), "admin").status().message() ==
        "a password needs at least 10 characters");
  CHECK(w.dispatcher->Execute(SetPassword("chan_sz", "chan_sz-2026-pw"), "admin")
            .status().message() == "a password must not contain the user name");
  CHECK(w.dispatcher->Execute(SetPassword("lee_sz", "harbour-lantern-42"), "chan_sz")
            .status().code() == Code::kPermissionDenied);
  CHECK(w.dispatcher->Execute(SetPassword("lee_sz", "harbour-lantern-42"), "ho_sz")
            .status().code() == Code::kPermissionDenied);
}

TEST_CASE("a token's secret is shown once, and revoked or expired it no longer signs in") {
  testing::World w;
  model::Command create;
  create.mutable_create_token()->set_label("ward report script");
  create.mutable_create_token()->set_expires_in("30d");
  create.set_idempotency_key("token-1");
  const auto made = w.Must(create, "chan_sz");
  const std::string secret = made.key().secret();
  REQUIRE_FALSE(secret.empty());
  CHECK(made.key().user() == "chan_sz");
  CHECK(made.key().label() == "ward report script");
  // A retry answers from the first time, without the secret.
  const auto again = w.Must(create, "chan_sz");
  CHECK(again.replayed());
  CHECK(again.key().secret().empty());
  CHECK(again.key().id() == made.key().id());
  // Stored is only a digest.
  auto keys = w.dispatcher->ListKeys(*w.dispatcher->ResolveActor("chan_sz"), "");
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 1);
  CHECK((*keys)[0].secret().empty());

  auto actor = w.dispatcher->Authenticate(secret);
  REQUIRE(actor.ok());
  CHECK(actor->user == "chan_sz");
  CHECK_FALSE(actor->must_change_password);
  w.clock.Advance(std::chrono::days(31));
  CHECK(w.dispatcher->Authenticate(secret).status().code() == Code::kPermissionDenied);

  create.set_idempotency_key("");
  const auto second = w.Must(create, "chan_sz");
  REQUIRE(w.dispatcher->Authenticate(second.key().secret()).ok());
  model::Command revoke;
  revoke.mutable_revoke_token()->set_id(second.key().id());
  CHECK(w.dispatcher->Execute(revoke, "lee_sz").status().code() == Code::kNotFound);
  w.Must(revoke, "chan_sz");
  CHECK(w.dispatcher->Authenticate(second.key().secret()).status().message() ==
        "sign in again: that session or token is not valid (any more)");
}

TEST_CASE("signing out ends the session") {
  testing::World w;
  w.Must(SetPassword("chan_sz", "harbour-lantern-42"), "admin");
  auto key = w.dispatcher->Login("chan_sz", "harbour-lantern-42");
  REQUIRE(key.ok());
  REQUIRE(w.dispatcher->Authenticate(key->secret()).ok());
  REQUIRE(w.dispatcher->Logout(key->secret()).ok());
  CHECK_FALSE(w.dispatcher->Authenticate(key->secret()).ok());
  CHECK_FALSE(w.dispatcher->Authenticate("dsp_made_up").ok());
  CHECK_FALSE(w.dispatcher->Authenticate("").ok());
}

}  // namespace dispatch
