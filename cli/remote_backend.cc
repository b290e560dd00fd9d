#include <chrono>

#include "cli/backend.h"
#include "model/command_codec.h"
#include "model/crypto.h"
#include "notify/http_client.h"

namespace cli {

namespace {

using model::Result;
using model::Status;

// Long enough for a command waiting its turn in a busy server's group commit.
constexpr model::Millis kTimeout = std::chrono::seconds(30);

class Remote : public Backend {
 public:
  explicit Remote(RemoteOptions o) : o_(std::move(o)) {
    while (!o_.url.empty() && o_.url.back() == '/') o_.url.pop_back();
  }

  Result<dispatch::Actor> Me() override {
    if (me_) return *me_;
    model::Me me;
    RETURN_IF_ERROR(Call("GET", "/v1/me", "", me));
    dispatch::Actor actor{me.user(), me.centre(), me.role(), me.must_change_password()};
    if (!o_.as.empty() && o_.as != actor.user) {
      return Status::InvalidArgument("the token is " + actor.user + "'s, but --as names " + o_.as +
                                     "; on a server you act as the token's user (drop --as)");
    }
    me_ = actor;
    return actor;
  }

  Result<model::CommandReply> Execute(const model::Command& command) override {
    // Every command goes with an idempotency key: when its answer is lost on
    // the way back, running it again with the same key cannot do it twice.
    model::Command keyed = command;
    if (keyed.idempotency_key().empty()) keyed.set_idempotency_key("cli-" + model::RandomHex(12));
    ASSIGN_OR_RETURN(std::string body, model::EncodeJson(keyed));
    model::CommandReply reply;
    const Status s = Call("POST", "/v1/commands", body, reply);
    if (s.code() == model::Code::kUnavailable && s.message().find("read the reply") != std::string::npos) {
      return Status::Unavailable(s.message() + "; the command may have been done: to try again "
                                 "safely, run it again with --key " + keyed.idempotency_key());
    }
    RETURN_IF_ERROR(s);
    return reply;
  }

  Status Read(const dispatch::ReadRequest& request, google::protobuf::Message& answer) override {
    return Call("GET", request.Target(), "", answer);
  }

  const model::WorkflowDefinition* Definition(const model::DefinitionRef& ref) override {
    auto it = definitions_.find(ref.content_hash());
    if (it == definitions_.end()) {
      model::WorkflowDefinition def;
      const Status s = Call("GET", "/v1/definitions/" + ref.content_hash(), "", def);
      it = definitions_.emplace(ref.content_hash(),
                                s.ok() ? std::make_unique<model::WorkflowDefinition>(std::move(def))
                                       : nullptr)
               .first;
    }
    return it->second.get();
  }

  bool local() const override { return false; }

 private:
  Status Call(const std::string& method, const std::string& target, const std::string& body,
              google::protobuf::Message& answer) {
    if (o_.token.empty()) {
      return Status::PermissionDenied(
          "a server needs a token: set DISPATCH_TOKEN to one from `dispatch token create`");
    }
    notify::HttpRequest req;
    req.method = method;
    req.url = o_.url + target;
    req.body = body;
    req.headers = {{"Authorization", "Bearer " + o_.token}, {"Accept", "application/json"}};
    req.timeout = kTimeout;
    req.ca_file = o_.ca_file;
    auto res = notify::Fetch(req);
    if (!res.ok()) {
      return Status(res.status().code(), "cannot reach the server at " + o_.url + ": " +
                                             res.status().message());
    }
    if (res->status == 200) return model::DecodeAnswer(res->body, answer);
    model::Error e;
    if (res->content_type.rfind("application/json", 0) != 0 ||
        !model::DecodeAnswer(res->body, e).ok() || e.code().empty()) {
      return Status::Unavailable("the server at " + o_.url + " answered HTTP " +
                                 std::to_string(res->status) + " without saying why");
    }
    const model::Code code = model::CodeFromName(e.code()).value_or(model::Code::kInternal);
    return Status(code, e.message(), e.message_zh_hant()).WithField(e.field());
  }

  RemoteOptions o_;
  std::optional<dispatch::Actor> me_;
  std::map<std::string, std::unique_ptr<model::WorkflowDefinition>> definitions_;
};

}  // namespace

std::unique_ptr<Backend> RemoteBackend(RemoteOptions options) {
  return std::make_unique<Remote>(std::move(options));
}

}  // namespace cli
