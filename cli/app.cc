#include "cli/app.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>
#include <google/protobuf/stubs/logging.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/backend.h"
#include "cli/render.h"
#include "server/request_log.h"
#include "server/serve.h"
#include "server/system_clock.h"
#include "dispatch/commands.h"
#include "dispatch/dispatcher.h"
#include "dispatch/engine.h"
#include "dispatch/import.h"
#include "dispatch/report_format.h"
#include "dispatch/scenario_runner.h"
#include "dispatch/sqlite_store.h"
#include "dispatch/tick.h"
#include "model/categories.h"
#include "model/command_codec.h"
#include "model/hkid.h"
#include "model/labels.h"
#include "model/text_check.h"
#include "model/text_proto.h"
#include "model/roles.h"
#include "model/workflow_catalog.h"

#ifndef DISPATCH_INSTALLED_WORKFLOW_DIR
#error "DISPATCH_INSTALLED_WORKFLOW_DIR must name where installs keep the case types"
#endif

namespace cli {

using dispatch::Dispatcher;
using dispatch::SqliteStore;
using model::Result;
using model::Status;

int ExitCodeFor(model::Code code) {
  switch (code) {
    case model::Code::kOk: return kExitOk;
    case model::Code::kInvalidArgument: return kExitInvalidArgument;
    case model::Code::kNotFound: return kExitNotFound;
    case model::Code::kPermissionDenied: return kExitPermissionDenied;
    case model::Code::kFailedPrecondition: return kExitFailedPrecondition;
    case model::Code::kAlreadyExists: return kExitAlreadyExists;
    case model::Code::kUnavailable: return kExitUnavailable;
    case model::Code::kInternal: return kExitFailure;
    case model::Code::kDataLoss: return kExitDataLoss;
  }
  return kExitFailure;
}

namespace {

// How many tasks and inbox messages a list shows: the most urgent, the newest.
constexpr int kMostTasks = 500;
constexpr int kMostMessages = 100;
// How long `tick` delivers: less than the minute between two runs from cron.
constexpr model::Millis kTickBudget = std::chrono::seconds(45);

// The flag (or argument) of this command line that fills each command field
// the engine may name in an error.
constexpr std::pair<std::string_view, std::string_view> kFlagOfField[] = {
    {"idempotency_key", "--key"},
    {"head", "--head"},
    {"open_case.type", "--type"},
    {"open_case.centre", "--centre"},
    {"open_case.person.name_zh", "--name-zh"},
    {"open_case.person.name_en", "--name-en"},
    {"open_case.person.hkid", "--hkid"},
    {"open_case.person.home_return_permit", "--permit"},
    {"open_case.person.date_of_birth", "--dob"},
    {"open_case.person.phone", "--phone"},
    {"open_case.person.current_location", "--location"},
    {"open_case.person.next_of_kin.name", "--kin-name"},
    {"open_case.person.next_of_kin.relationship", "--kin-relation"},
    {"open_case.person.next_of_kin.phone", "--kin-phone"},
    {"open_case.fields", "--field"},
    {"open_case.summary", "--summary"},
    {"open_case.related_case", "--related"},
    {"open_case.caller.name", "--caller-name"},
    {"open_case.caller.phone", "--caller-phone"},
    {"add_person.person.name_zh", "--name-zh"},
    {"add_person.person.name_en", "--name-en"},
    {"add_person.person.hkid", "--hkid"},
    {"add_person.person.home_return_permit", "--permit"},
    {"add_person.person.date_of_birth", "--dob"},
    {"add_person.person.phone", "--phone"},
    {"add_person.person.next_of_kin.phone", "--kin-phone"},
    {"add_person.relationship", "--relation"},
    {"correct_person.id", "the person's number"},
    {"correct_person.person.name_zh", "--name-zh"},
    {"correct_person.person.name_en", "--name-en"},
    {"correct_person.person.hkid", "--hkid"},
    {"correct_person.person.home_return_permit", "--permit"},
    {"correct_person.person.date_of_birth", "--dob"},
    {"correct_person.person.phone", "--phone"},
    {"correct_person.person.next_of_kin.phone", "--kin-phone"},
    {"correct_person.relationship", "--relation"},
    {"correct_person.reason", "--reason"},
    {"set_caller.caller.name", "--caller-name"},
    {"set_caller.caller.phone", "--caller-phone"},
    {"set_caller.reason", "--reason"},
    {"open_case.category", "--category"},
    {"set_category.category", "the category"},
    {"set_category.reason", "--reason"},
    {"log_contact.centre", "--centre"},
    {"log_contact.channel", "--channel"},
    {"log_contact.category", "--category"},
    {"log_contact.note", "--note"},
    {"log_contact.case_number", "--case"},
    {"log_contact.at", "--at"},
    {"centre", "--centre"},
    {"year", "--year"},
    {"compare", "--compare"},
    {"record_contact.party", "--party"},
    {"record_contact.channel", "--channel"},
    {"record_contact.said", "--said"},
    {"record_contact.at", "--at"},
    {"fire_event.fields", "--field"},
    {"fire_event.note", "--note"},
    {"complete_task.note", "--note"},
    {"mark_not_applicable.reason", "--reason"},
    {"add_note.text", "the note"},
    {"set_fields.fields", "--field"},
    {"set_fields.clear", "--clear"},
    {"set_fields.reason", "--reason"},
    {"close_case.reason", "--reason"},
    {"cancel_case.reason", "--reason"},
    {"pause_case.reason", "--reason"},
    {"pause_case.task", "--task"},
    {"resume_case.reason", "--reason"},
    {"request_handoff.to_centre", "--to"},
    {"request_handoff.leg", "--leg"},
    {"request_handoff.message", "--message"},
    {"decline_handoff.reason", "--reason"},
    {"duty_on.role", "--role"},
    {"duty_on.from", "--from"},
    {"duty_on.until", "--until"},
    {"set_webhook.url", "the URL"},
    {"set_webhook.centre", "the centre code"},
    {"add_user.name", "the user name"},
    {"add_user.centre", "--centre"},
    {"add_user.role", "--role"},
    {"assign_task.assignee", "the user"},
    {"status", "--status"},
    {"limit", "--limit"},
};

// The engine's message, with the command field it names said the way this
// command line names it.
std::string ForCommandLine(const Status& s) {
  if (s.field().empty()) return s.message();
  std::string_view flag;
  // One item of a repeated field ("set_fields.clear[1]") is typed with the
  // field's flag.
  std::string_view whole = s.field();
  if (!whole.empty() && whole.back() == ']') whole = whole.substr(0, whole.rfind('['));
  // So is one field of a case ("fire_event.fields.port").
  if (const size_t at = whole.find(".fields."); at != std::string_view::npos) {
    whole = whole.substr(0, at + 7);
  }
  for (const auto& [field, named] : kFlagOfField) {
    if (whole == field) flag = named;
  }
  // Every command names its case and task the same way.
  const auto ends_with = [&](std::string_view suffix) {
    return s.field().size() >= suffix.size() &&
           s.field().compare(s.field().size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (flag.empty() && ends_with(".case_number")) flag = "the case number";
  if (flag.empty() && ends_with(".task.name")) flag = "the task";
  if (flag.empty()) return s.message();
  if (s.message().rfind(s.field(), 0) == 0) {
    return std::string(flag) + s.message().substr(s.field().size());
  }
  return s.message() + " (" + std::string(flag) + ")";
}

// An error as it may be shown on a terminal: what was typed can be in it, so
// identity numbers are masked, and control characters and bytes that are not
// UTF-8 (which could move the cursor or retitle the window) become U+FFFD.
std::string Printable(std::string_view message) {
  const std::string text = model::ToValidUtf8(model::MaskHkidsIn(message));
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool c1 = c == 0xC2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if ((c < 0x20 && c != '\n') || c == 0x7F || c1) {
      out += "\xEF\xBF\xBD";
      if (c1) ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// "phone", "visit", "chat", "email": how a contact reached the centre.
Result<model::Channel> ParseChannel(std::string_view text) {
  if (const auto channel = model::ParseChannel(text)) return *channel;
  return Status::InvalidArgument("--channel takes phone, visit, chat or email, not '" +
                                 std::string(text) + "'");
}

// Writes `text` to `path` whole or not at all: a temporary file beside it,
// flushed to disk, then renamed over it.
Status WriteFileDurably(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".part";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::InvalidArgument("cannot write " + path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool written = done == text.size() && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!written || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(written ? errno : saved);
    std::remove(tmp.c_str());
    return Status::InvalidArgument("cannot write " + path + ": " + why);
  }
  return Status::Ok();
}

const char* EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

// Where the case types are when nothing says: share/dispatch/workflows
// beside the binary's bin/ (an install, or the build tree), else where an
// install to the default prefix puts them.
std::string DefaultWorkflowDir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto beside = exe.parent_path().parent_path() / "share" / "dispatch" / "workflows";
    if (std::filesystem::is_directory(beside, ec)) return beside.string();
  }
  return DISPATCH_INSTALLED_WORKFLOW_DIR;
}

struct Globals {
  std::string db = EnvOr("DISPATCH_DB", "dispatch.db");
  std::string server = EnvOr("DISPATCH_SERVER", "");
  std::string server_ca = EnvOr("DISPATCH_SERVER_CA", "");
  std::string webhook_ca = EnvOr("DISPATCH_WEBHOOK_CA", "");
  std::string as = EnvOr("DISPATCH_AS", "");
  std::string lang = EnvOr("DISPATCH_LANG", "en");
  std::string workflows = EnvOr("DISPATCH_WORKFLOWS", DefaultWorkflowDir().c_str());
  std::string categories = EnvOr("DISPATCH_CATEGORIES", "");
  std::string key;
  bool json = false;
  bool verbose = false;
};

// Everything one invocation works with, opened on demand.
class Session {
 public:
  Session(const Globals& g, std::ostream& out, std::ostream& err) : g_(g), out_(out), err_(err) {}

  Status Start() {
    ASSIGN_OR_RETURN(lang_, model::ParseLang(g_.lang));
    return Status::Ok();
  }

  Status LoadCatalog() {
    if (catalog_) return Status::Ok();
    ASSIGN_OR_RETURN(auto catalog, model::WorkflowCatalog::LoadDirectory(g_.workflows));
    if (!g_.categories.empty()) {
      // Named on purpose: a file that cannot be used is an error, not a warning.
      catalog.SetCategories(g_.categories);
      if (!catalog.CategoriesProblem().empty()) {
        return Status::InvalidArgument(catalog.CategoriesProblem());
      }
    }
    catalog_.emplace(std::move(catalog));
    return Status::Ok();
  }

  // The categories file in use: --categories, else the one beside the
  // workflow directory.
  std::string CategoriesPath() {
    return g_.categories.empty() ? model::CategoriesBeside(g_.workflows) : g_.categories;
  }

  // The categories as the backend has them (the server's, with --server),
  // read once.
  Result<const model::CategoryList*> CategoryList() {
    if (!categories_) {
      ASSIGN_OR_RETURN(auto list, Get<model::CategoryList>({{"categories"}}));
      categories_.emplace(std::move(list));
    }
    return &*categories_;
  }

  // Where commands and reads go: the server named by --server, or the
  // database file.
  Result<Backend*> Open() {
    if (backend_) return backend_.get();
    if (!g_.server.empty()) {
      const char* token = std::getenv("DISPATCH_TOKEN");
      backend_ = RemoteBackend({g_.server, token ? token : "", g_.server_ca, g_.as});
      // --as must not seem to act as someone the token is not.
      if (!g_.as.empty()) RETURN_IF_ERROR(backend_->Me().status());
      return backend_.get();
    }
    ASSIGN_OR_RETURN(LocalBackend * local, Local("", SqliteStore::Mode::kOpenExisting));
    return static_cast<Backend*>(local);
  }

  // The database file itself, for what only it can do (`what`: init, tick,
  // rebuild). Nothing is written on opening.
  Result<LocalBackend*> Local(std::string_view what,
                              SqliteStore::Mode mode = SqliteStore::Mode::kOpenExisting) {
    if (!g_.server.empty()) {
      return Status::InvalidArgument(std::string(what) +
                                     " works on a database file on the server's machine "
                                     "(--db), not through --server");
    }
    if (!backend_) {
      RETURN_IF_ERROR(LoadCatalog());
      ASSIGN_OR_RETURN(auto local, LocalBackend::Open(g_.db, mode, *catalog_, clock_, g_.as,
                                                      g_.webhook_ca));
      backend_ = std::move(local);
    }
    return static_cast<LocalBackend*>(backend_.get());
  }

  Result<dispatch::Actor> Me() {
    ASSIGN_OR_RETURN(Backend * b, Open());
    return b->Me();
  }

  template <class Message>
  Result<Message> Get(dispatch::ReadRequest request) {
    if (g_.server.empty() && dispatch::IsCatalogRead(request)) {
      // The case types on this machine need no database.
      RETURN_IF_ERROR(LoadCatalog());
      ASSIGN_OR_RETURN(auto answer, dispatch::ReadCatalog(*catalog_, request));
      return *dynamic_cast<Message*>(answer.get());
    }
    ASSIGN_OR_RETURN(Backend * b, Open());
    return b->Get<Message>(request);
  }

  // Prints a read's answer: as JSON with --json, else with `print`.
  template <class Message>
  Status Show(dispatch::ReadRequest request, const std::function<void(const Message&)>& print) {
    ASSIGN_OR_RETURN(Message m, Get<Message>(std::move(request)));
    if (g_.json) return WriteJson(out_, m);
    print(m);
    return Status::Ok();
  }

  // Runs a command as --as and prints what it did; then, on a local file,
  // delivers what it caused.
  Status Submit(model::Command command, bool print_number_only = false) {
    ASSIGN_OR_RETURN(Backend * b, Open());
    if (!g_.key.empty()) command.set_idempotency_key(g_.key);
    ASSIGN_OR_RETURN(model::CommandReply reply, b->Execute(command));
    Status printed = Print(command.body_case(), reply, print_number_only);
    out_.flush();
    for (const std::string& w : reply.warnings()) err_ << "warning: " << w << '\n';
    b->AfterCommand();
    if (!printed.ok()) {
      return Status(printed.code(), "the command was done, but its answer cannot be shown: " +
                                        printed.message());
    }
    return Status::Ok();
  }

  Status Print(model::Command::BodyCase kind, const model::CommandReply& reply,
               bool print_number_only) {
    if (g_.json) {
      switch (dispatch::SpecOf(kind).answer) {
        case dispatch::Answer::kCase: return WriteJson(out_, reply.case_state());
        case dispatch::Answer::kUser: return WriteJson(out_, reply.user());
        case dispatch::Answer::kShift: return WriteJson(out_, reply.shift());
        case dispatch::Answer::kCentre: return WriteJson(out_, reply.centre());
        case dispatch::Answer::kKey: return WriteJson(out_, reply.key());
        case dispatch::Answer::kContact: return WriteJson(out_, reply.contact());
        case dispatch::Answer::kImport: return WriteJson(out_, reply.imported());
        case dispatch::Answer::kNothing: return WriteJson(out_, model::CommandReply());
      }
    } else if (print_number_only) {
      out_ << reply.case_state().number() << '\n';
    } else {
      Labels l = labels();
      PrintReply(out_, reply, l);
    }
    return Status::Ok();
  }

  // Labels from the definitions the cases are pinned to, wherever they are.
  Labels labels() {
    Backend* b = backend_.get();
    return Labels(
        [b](const model::DefinitionRef& ref) -> const model::WorkflowDefinition* {
          return b ? b->Definition(ref) : nullptr;
        },
        lang_, clock_.Now());
  }

  model::WorkflowCatalog& catalog() { return *catalog_; }
  model::Lang lang() const { return lang_; }
  model::Instant now() const { return clock_.Now(); }
  const Globals& globals() const { return g_; }
  std::ostream& out() { return out_; }

 private:
  const Globals& g_;
  std::ostream& out_;
  std::ostream& err_;
  model::Lang lang_ = model::Lang::kEn;
  server::SystemClock clock_;
  std::optional<model::CategoryList> categories_;
  std::optional<model::WorkflowCatalog> catalog_;
  std::unique_ptr<Backend> backend_;
};

// "port=shenzhen_bay" into the map.
// The flags that describe a person, on `case open` and `case person`.
void AddPersonOptions(CLI::App* cmd, model::Person* person) {
  cmd->add_option("--name-zh", *person->mutable_name_zh(), "name in Chinese");
  cmd->add_option("--name-en", *person->mutable_name_en(), "name in English");
  cmd->add_option("--hkid", *person->mutable_hkid(), "HK identity card number, e.g. A123456(3)");
  cmd->add_option("--permit", *person->mutable_home_return_permit(), "Home Return Permit number");
  cmd->add_option("--dob", *person->mutable_date_of_birth(), "date of birth, YYYY-MM-DD");
  cmd->add_option("--phone", *person->mutable_phone(), "the person's phone");
  cmd->add_option("--location", *person->mutable_current_location(), "where the person is now");
  auto* kin = person->mutable_next_of_kin();
  cmd->add_option("--kin-name", *kin->mutable_name(), "next of kin in Hong Kong");
  cmd->add_option("--kin-relation", *kin->mutable_relationship(), "e.g. daughter");
  cmd->add_option("--kin-phone", *kin->mutable_phone(), "next of kin's phone");
}

// The flags that say who called, on `case open` and `case caller`.
void AddCallerOptions(CLI::App* cmd, model::Caller* caller) {
  cmd->add_option("--caller-name", *caller->mutable_name(), "who called or referred the case");
  cmd->add_option("--caller-relation", *caller->mutable_relationship(),
                  "the caller to the person, e.g. landlord, daughter");
  cmd->add_option("--caller-org", *caller->mutable_organisation(),
                  "where they called from, e.g. Longgang police station");
  cmd->add_option("--caller-phone", *caller->mutable_phone(), "the caller's phone");
  cmd->add_option("--caller-note", *caller->mutable_note(), "how and when to reach them");
}

Status AddFields(const std::vector<std::string>& pairs,
                 google::protobuf::Map<std::string, std::string>* fields) {
  for (const std::string& p : pairs) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("--field takes name=value, e.g. --field port=shenzhen_bay; got '" +
                                     p + "'");
    }
    (*fields)[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return Status::Ok();
}

// "SZ-2026-0007/3" (or "SZ-2026-0007/hand_over") into case number and task.
Status ParseTaskId(const std::string& id, std::string* number, model::TaskRef* ref) {
  const auto slash = id.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == id.size()) {
    return Status::InvalidArgument("name a task as CASE/NUMBER, e.g. SZ-2026-0007/3 (see `task list`); got '" +
                                   id + "'");
  }
  *number = id.substr(0, slash);
  const std::string rest = id.substr(slash + 1);
  if (rest.find_first_not_of("0123456789") == std::string::npos && rest.size() < 9) {
    ref->set_seq(std::stoi(rest));
    if (ref->seq() == 0) {
      return Status::InvalidArgument("task numbers start at 1, e.g. SZ-2026-0007/1");
    }
  } else {
    ref->set_name(rest);
  }
  return Status::Ok();
}

// "FJ-2026-0003/H1" into case number and handoff number.
Status ParseHandoffId(const std::string& id, std::string* number, int* handoff) {
  const auto at = id.rfind("/H");
  const std::string digits = at == std::string::npos ? "" : id.substr(at + 2);
  if (at == std::string::npos || at == 0 || digits.empty() || digits.size() > 6 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("name a handoff as CASE/H NUMBER, e.g. FJ-2026-0003/H1 (see "
                                   "`handoff list`); got '" + id + "'");
  }
  *number = id.substr(0, at);
  *handoff = std::stoi(digits);
  return Status::Ok();
}

Status RunScenarios(Session& s, const std::vector<std::string>& files, const std::string& keep_in,
                    bool quiet) {
  RETURN_IF_ERROR(s.LoadCatalog());
  std::unique_ptr<SqliteStore> shared;
  if (!keep_in.empty()) {
    // A new file is made for scenarios; an existing one must have been (the
    // runner refuses one that holds live work, untouched).
    std::error_code ec;
    const bool fresh = !std::filesystem::exists(keep_in, ec) ||
                       (std::filesystem::is_regular_file(keep_in, ec) &&
                        std::filesystem::file_size(keep_in, ec) == 0);
    ASSIGN_OR_RETURN(shared, SqliteStore::Open(keep_in, fresh ? SqliteStore::Mode::kCreate
                                                              : SqliteStore::Mode::kOpenExisting));
    if (fresh) {
      server::SystemClock clock;
      RETURN_IF_ERROR(Dispatcher(*shared, s.catalog(), clock)
                          .Initialize("admin", dispatch::DatabasePurpose::kScenarios));
    }
  }
  int failed = 0;
  for (const std::string& file : files) {
    ASSIGN_OR_RETURN(auto loaded, dispatch::LoadScenarioFile(file));
    std::unique_ptr<SqliteStore> fresh;
    if (!shared) {
      ASSIGN_OR_RETURN(fresh, SqliteStore::Open(":memory:", SqliteStore::Mode::kCreate));
      server::SystemClock clock;
      RETURN_IF_ERROR(Dispatcher(*fresh, s.catalog(), clock)
                          .Initialize("admin", dispatch::DatabasePurpose::kScenarios));
    }
    SqliteStore& store = shared ? *shared : *fresh;
    ASSIGN_OR_RETURN(auto outcome, dispatch::RunScenario(loaded, store, s.catalog()));
    std::ostream& out = s.out();
    if (!quiet) {
      out << "== " << file << '\n';
      if (!loaded.scenario.reproduces().empty()) {
        out << "   " << loaded.scenario.reproduces() << "\n";
      }
      server::SystemClock clock;
      Dispatcher reader(store, s.catalog(), clock);
      Labels labels(
          [&reader](const model::DefinitionRef& ref) -> const model::WorkflowDefinition* {
            auto def = reader.DefinitionByHash(ref.content_hash());
            return def.ok() ? &(*def)->definition : nullptr;
          },
          s.lang(), clock.Now());
      for (const auto& [ref, number] : outcome.cases) {
        ASSIGN_OR_RETURN(auto c, store.Read().GetCase(number));
        ASSIGN_OR_RETURN(auto events, store.Read().Timeline(number));
        out << '\n';
        if (c) PrintTimeline(out, *c, events, labels);
      }
      out << '\n';
    }
    if (outcome.passed()) {
      out << "PASS " << file << " (" << outcome.steps_run << " steps, " << outcome.cases.size()
          << " case" << (outcome.cases.size() == 1 ? "" : "s") << ")\n";
    } else {
      ++failed;
      out << "FAIL " << outcome.failure << '\n';
    }
  }
  if (failed > 0) {
    return Status::Internal(std::to_string(failed) + " of " + std::to_string(files.size()) +
                            " scenario(s) failed");
  }
  return Status::Ok();
}

}  // namespace

int Run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Globals g;
  CLI::App app{"dispatch: emergency assistance cases, tasks and handoffs for the assistance centres",
               "dispatch"};
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--db", g.db, "SQLite database file (env DISPATCH_DB)");
  app.add_option("--server", g.server,
                 "a dispatch server's URL, e.g. https://dispatch.example:8443, instead of --db "
                 "(env DISPATCH_SERVER; the token in env DISPATCH_TOKEN)");
  app.add_option("--server-ca", g.server_ca,
                 "https: trust the certificates in this PEM file, not the system's (env "
                 "DISPATCH_SERVER_CA)");
  app.add_option("--as", g.as, "your user name (env DISPATCH_AS)");
  app.add_option("--lang", g.lang, "zh-Hant or en (env DISPATCH_LANG)");
  app.add_option("--workflows", g.workflows, "directory of workflow definitions (env DISPATCH_WORKFLOWS)");
  app.add_option("--categories", g.categories,
                 "the categories file (env DISPATCH_CATEGORIES; default: categories.textproto beside "
                 "the workflow directory)");
  app.add_option("--key", g.key, "idempotency key: retrying with the same key does the command once");
  app.add_option("--webhook-ca", g.webhook_ca,
                 "https:// webhooks: trust the certificates in this PEM file, not the system's "
                 "(env DISPATCH_WEBHOOK_CA)");
  app.add_flag("--json", g.json, "print JSON (protobuf's JSON mapping) instead of tables");
  app.add_flag("-v,--verbose", g.verbose, "log what the engine does to stderr");

  Session session(g, out, err);
  std::function<Status()> action;
  auto on = [&](CLI::App* cmd, std::function<Status()> f) {
    cmd->callback([&action, f = std::move(f)] { action = f; });
  };

  // init
  std::string admin = "admin";
  auto* init = app.add_subcommand("init", "create a database with the six centres and an admin user");
  init->add_option("--admin", admin, "name of the first admin user");
  on(init, [&]() -> Status {
    ASSIGN_OR_RETURN(LocalBackend * local, session.Local("init", SqliteStore::Mode::kCreate));
    RETURN_IF_ERROR(local->dispatcher().Initialize(admin));
    out << "Initialised " << g.db << " with centres GZ, SZ, DG, HZ, ZS, FJ and admin user '" << admin
        << "'.\nNext: dispatch --db " << g.db << " --as " << admin
        << " user add NAME --centre SZ --role duty_officer\n";
    return Status::Ok();
  });

  on(app.add_subcommand("migrate", "upgrade a database made by an older dispatch (back it up first)"),
     [&]() -> Status {
       RETURN_IF_ERROR(session.Local("migrate", SqliteStore::Mode::kMigrate).status());
       out << g.db << " is at schema version " << SqliteStore::kSchemaVersion << ".\n";
       return Status::Ok();
     });

  // user
  auto* user = app.add_subcommand("user", "users and their roles")->require_subcommand(1);
  model::AddUser add_user;
  auto* user_add = user->add_subcommand("add", "add a user (admins only)");
  user_add->add_option("name", *add_user.mutable_name(), "user name, e.g. chan_sz")->required();
  user_add->add_option("--centre", *add_user.mutable_centre(), "centre code: GZ SZ DG HZ ZS FJ")->required();
  user_add->add_option("--role", *add_user.mutable_role(), "duty_officer, coordinator, supervisor or admin")->required();
  on(user_add, [&]() -> Status {
    model::Command c;
    *c.mutable_add_user() = add_user;
    return session.Submit(c);
  });
  on(user->add_subcommand("list", "list users"), [&]() -> Status {
    return session.Show<model::UserList>({{"users"}}, [&](const model::UserList& l) {
      PrintUsers(out, Vec(l.user()), session.lang());
    });
  });

  // Passwords are read from standard input, never from the command line
  // (where the shell's history and `ps` would show them).
  auto read_line = [&](const char* what) -> Result<std::string> {
    std::string line;
    if (!std::getline(std::cin, line)) {
      return Status::InvalidArgument(std::string("give the ") + what +
                                     " on standard input, one line");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  };
  std::string password_user;
  auto* user_password = user->add_subcommand(
      "password", "give a user a first password, read from standard input (admins)");
  user_password->add_option("name", password_user, "user name")->required();
  on(user_password, [&]() -> Status {
    model::Command c;
    c.mutable_set_password()->set_user(password_user);
    ASSIGN_OR_RETURN(*c.mutable_set_password()->mutable_password(), read_line("new password"));
    return session.Submit(c);
  });
  on(app.add_subcommand("password",
                        "change your own password: the current one, then the new one, on "
                        "standard input"),
     [&]() -> Status {
       model::Command c;
       ASSIGN_OR_RETURN(*c.mutable_set_password()->mutable_current_password(),
                        read_line("current password"));
       ASSIGN_OR_RETURN(*c.mutable_set_password()->mutable_password(), read_line("new password"));
       return session.Submit(c);
     });

  auto* token = app.add_subcommand("token", "bearer tokens for scripts and `--server`")
                    ->require_subcommand(1);
  model::CreateToken create_token;
  auto* token_create = token->add_subcommand("create", "make a token; its secret is shown once");
  token_create->add_option("--user", *create_token.mutable_user(), "for someone else (admins)");
  token_create->add_option("--label", *create_token.mutable_label(), "what it is for");
  token_create->add_option("--expires", *create_token.mutable_expires_in(),
                           "how long it lasts, e.g. 30d (default 90d, at most 366d)");
  on(token_create, [&]() -> Status {
    model::Command c;
    *c.mutable_create_token() = create_token;
    return session.Submit(c);
  });
  std::string token_user;
  auto* token_list = token->add_subcommand("list", "your tokens and sessions (admins: anyone's)");
  token_list->add_option("--user", token_user, "someone else's (admins)");
  on(token_list, [&]() -> Status {
    dispatch::ReadRequest r{{"keys"}};
    if (!token_user.empty()) r.query["user"] = token_user;
    return session.Show<model::AccessKeyList>(r, [&](const model::AccessKeyList& l) {
      PrintKeys(out, Vec(l.key()), session.lang());
    });
  });
  std::string token_id;
  auto* token_revoke = token->add_subcommand("revoke", "end a token or session");
  token_revoke->add_option("id", token_id, "its id, from `token list`")->required();
  on(token_revoke, [&]() -> Status {
    model::Command c;
    c.mutable_revoke_token()->set_id(token_id);
    return session.Submit(c);
  });

  auto* centre = app.add_subcommand("centre", "the centres of the network")->require_subcommand(1);
  std::string hook_centre, hook_url;
  auto* centre_webhook = centre->add_subcommand("webhook", "where a centre's chat-group bot takes notifications (admins)");
  centre_webhook->add_option("code", hook_centre, "centre code")->required();
  centre_webhook->add_option("url", hook_url, "http://... URL, or 'none' to stop")->required();
  on(centre_webhook, [&]() -> Status {
    model::Command c;
    c.mutable_set_webhook()->set_centre(hook_centre);
    c.mutable_set_webhook()->set_url(hook_url == "none" ? "" : hook_url);
    return session.Submit(c);
  });
  on(centre->add_subcommand("list", "list centres"), [&]() -> Status {
    return session.Show<model::CentreList>({{"centres"}}, [&](const model::CentreList& l) {
      PrintCentres(out, Vec(l.centre()), session.lang());
    });
  });

  // case
  auto* cas = app.add_subcommand("case", "open, read and move cases")->require_subcommand(1);
  model::OpenCase open;
  std::vector<std::string> open_fields;
  auto* case_open = cas->add_subcommand("open", "open a case; prints its number");
  case_open->add_option("--type", *open.mutable_type(), "case type (see `workflow list`)")->required();
  case_open->add_option("--centre", *open.mutable_centre(), "owning centre (default: yours)");
  AddPersonOptions(case_open, open.mutable_person());
  AddCallerOptions(case_open, open.mutable_caller());
  case_open->add_option("--field", open_fields, "case field name=value (repeatable)");
  case_open->add_option("--summary", *open.mutable_summary(), "one line on what is needed");
  case_open->add_option("--related", *open.mutable_related_case(), "a related case number");
  case_open->add_option("--category", *open.mutable_category(),
                        "what it is counted under (see `categories`; default: its type's)");
  case_open->add_flag("--legal", [&open](int64_t) { open.set_legal_advice(true); },
                      "taken by the free legal-advice service");
  on(case_open, [&]() -> Status {
    ASSIGN_OR_RETURN(auto me, session.Me());
    model::Command c;
    *c.mutable_open_case() = open;
    auto* o = c.mutable_open_case();
    if (o->centre().empty()) o->set_centre(me.centre);
    if (o->person().next_of_kin().ByteSizeLong() == 0) o->mutable_person()->clear_next_of_kin();
    RETURN_IF_ERROR(AddFields(open_fields, o->mutable_fields()));
    return session.Submit(c, /*print_number_only=*/true);
  });

  model::AddPerson add_person;
  std::string person_case;
  auto* case_person = cas->add_subcommand(
      "person", "add someone else the case is about (a spouse, a son travelling with them)");
  case_person->add_option("case", person_case, "case number")->required();
  AddPersonOptions(case_person, add_person.mutable_person());
  case_person->add_option("--relation", *add_person.mutable_relationship(),
                          "to the case's first person, e.g. husband")
      ->required();
  on(case_person, [&]() -> Status {
    model::Command c;
    *c.mutable_add_person() = add_person;
    auto* p = c.mutable_add_person();
    p->set_case_number(person_case);
    if (p->person().next_of_kin().ByteSizeLong() == 0) p->mutable_person()->clear_next_of_kin();
    return session.Submit(c);
  });

  model::CorrectPerson fix;
  auto* case_fix = cas->add_subcommand(
      "correct-person", "correct a person on a case: what you give replaces what was kept");
  case_fix->add_option("case", *fix.mutable_case_number(), "case number")->required();
  int fix_id = 0;
  case_fix->add_option("person", fix_id, "1: the case's person; 2, 3, ...: those added (case show)")
      ->required();
  AddPersonOptions(case_fix, fix.mutable_person());
  case_fix->add_option("--relation", *fix.mutable_relationship(), "of someone added: e.g. husband");
  case_fix->add_option("--reason", *fix.mutable_reason(), "why it changes")->required();
  on(case_fix, [&]() -> Status {
    model::Command c;
    *c.mutable_correct_person() = fix;
    auto* p = c.mutable_correct_person();
    p->set_id(fix_id);
    if (p->person().next_of_kin().ByteSizeLong() == 0) p->mutable_person()->clear_next_of_kin();
    return session.Submit(c);
  });

  model::SetCaller set_caller;
  auto* case_caller = cas->add_subcommand(
      "caller", "say who called or referred a case, or correct it (what you give replaces what was kept)");
  case_caller->add_option("case", *set_caller.mutable_case_number(), "case number")->required();
  AddCallerOptions(case_caller, set_caller.mutable_caller());
  case_caller->add_option("--reason", *set_caller.mutable_reason(), "why it changes (when correcting)");
  on(case_caller, [&]() -> Status {
    model::Command c;
    *c.mutable_set_caller() = set_caller;
    return session.Submit(c);
  });

  model::SetCategory set_category;
  auto* case_category = cas->add_subcommand(
      "category", "say what a case is counted under in the yearly report, or correct it");
  case_category->add_option("case", *set_category.mutable_case_number(), "case number")->required();
  case_category->add_option("category", *set_category.mutable_category(), "a code from `categories`")
      ->required();
  case_category->add_flag("--legal", [&set_category](int64_t) { set_category.set_legal_advice(true); },
                          "taken by the free legal-advice service");
  case_category->add_flag("--not-legal",
                          [&set_category](int64_t) { set_category.set_legal_advice(false); },
                          "not the legal-advice service's (without either flag: as it was)");
  case_category->add_option("--reason", *set_category.mutable_reason(), "why it changes (when correcting)");
  on(case_category, [&]() -> Status {
    model::Command c;
    *c.mutable_set_category() = set_category;
    return session.Submit(c);
  });

  model::RecordContact contact;
  std::string contact_at;
  auto* case_contact = cas->add_subcommand(
      "contact", "record what an outside party said (a hospital, an office, an association)");
  case_contact->add_option("case", *contact.mutable_case_number(), "case number")->required();
  case_contact->add_option("--party", *contact.mutable_party(), "the organisation, e.g. Zhangmutou Hospital")
      ->required();
  case_contact->add_option("--person", *contact.mutable_person(), "who you spoke to, e.g. Dr Wu, ward 5");
  case_contact->add_option("--channel", *contact.mutable_channel(), "phone, visit, message, email or letter")
      ->required();
  case_contact->add_option("--at", contact_at, "when, if not now: 2026-03-02T14:30");
  case_contact->add_option("--said", *contact.mutable_said(), "what was said or agreed")->required();
  on(case_contact, [&]() -> Status {
    model::Command c;
    *c.mutable_record_contact() = contact;
    if (!contact_at.empty()) {
      auto at = model::ParseTimestamp(contact_at);
      if (!at.ok()) return Status::InvalidArgument(at.status().message() + " (--at)");
      *c.mutable_record_contact()->mutable_at() = model::ToProto(*at);
    }
    return session.Submit(c);
  });

  std::string status_text = "open", list_centre, list_type;
  auto* case_list = cas->add_subcommand("list", "list the cases you can see");
  case_list->add_option("--status", status_text, "open, closed, cancelled or all (default open)");
  case_list->add_option("--centre", list_centre, "only this centre's cases");
  case_list->add_option("--type", list_type, "only this case type");
  int list_limit = 0;
  std::string list_after;
  case_list->add_option("--limit", list_limit, "at most this many, newest first (default 100)");
  case_list->add_option("--after", list_after, "the next page: those after this case number");
  bool list_waiting = false;
  std::string list_related;
  case_list->add_flag("--waiting", list_waiting,
                      "only cases waiting for a booked day (a crossing), soonest first");
  case_list->add_option("--related", list_related, "only cases opened as related to this one");
  on(case_list, [&]() -> Status {
    dispatch::ReadRequest r{{"cases"}, {{"status", status_text}}};
    if (list_waiting) r.query["waiting"] = "1";
    if (!list_related.empty()) r.query["related"] = list_related;
    if (!list_centre.empty()) r.query["centre"] = list_centre;
    if (!list_type.empty()) r.query["type"] = list_type;
    if (list_limit != 0) r.query["limit"] = std::to_string(list_limit);
    if (!list_after.empty()) r.query["after"] = list_after;
    return session.Show<model::CaseList>(r, [&](const model::CaseList& l) {
      Labels labels = session.labels();
      PrintCaseList(out, Vec(l.case_state()), labels, list_waiting);
      if (!l.next_after().empty()) {
        out << Pick(session.lang(), "More: add --after ", "更多：加上 --after ") << l.next_after()
            << '\n';
      }
    });
  });

  std::string number;
  auto* case_show = cas->add_subcommand("show", "show a case with its person, fields and tasks");
  case_show->add_option("number", number, "case number, e.g. SZ-2026-0007")->required();
  on(case_show, [&]() -> Status {
    // The cases opened as related to this one, as far as this user may see.
    std::vector<std::string> related_here;
    auto named_by = session.Get<model::CaseList>(
        {{"cases"}, {{"related", number}, {"status", "all"}, {"limit", "20"}}});
    if (named_by.ok()) {
      for (const auto& other : named_by->case_state()) related_here.push_back(other.number());
    }
    return session.Show<model::CaseState>({{"cases", number}}, [&](const model::CaseState& c) {
      Labels labels = session.labels();
      PrintCase(out, c, labels, session.now(), related_here);
    });
  });

  auto* case_timeline = cas->add_subcommand("timeline", "everything that happened on a case, in order");
  case_timeline->add_option("number", number, "case number")->required();
  on(case_timeline, [&]() -> Status {
    ASSIGN_OR_RETURN(auto c, session.Get<model::CaseState>({{"cases", number}}));
    return session.Show<model::Timeline>({{"cases", number, "timeline"}},
                                         [&](const model::Timeline& t) {
                                           Labels labels = session.labels();
                                           PrintTimeline(out, c, Vec(t.event()), labels);
                                         });
  });

  model::FireEvent fire;
  std::vector<std::string> fire_fields;
  auto* case_event = cas->add_subcommand("event", "record a workflow event (see `workflow show TYPE`)");
  case_event->add_option("number", *fire.mutable_case_number(), "case number")->required();
  case_event->add_option("event", *fire.mutable_event(), "event name, e.g. plan_confirmed")->required();
  case_event->add_option("--field", fire_fields, "set a case field name=value (repeatable)");
  case_event->add_option("--note", *fire.mutable_note(), "a note for the timeline");
  on(case_event, [&]() -> Status {
    model::Command c;
    *c.mutable_fire_event() = fire;
    RETURN_IF_ERROR(AddFields(fire_fields, c.mutable_fire_event()->mutable_fields()));
    return session.Submit(c);
  });

  model::AddNote note;
  std::vector<std::string> note_words;
  auto* case_note = cas->add_subcommand("note", "add a note to a case's timeline");
  case_note->add_option("number", *note.mutable_case_number(), "case number")->required();
  case_note->add_option("text", note_words, "the note")->required();
  on(case_note, [&]() -> Status {
    model::Command c;
    *c.mutable_add_note() = note;
    std::string text;
    for (const auto& w : note_words) text += (text.empty() ? "" : " ") + w;
    c.mutable_add_note()->set_text(text);
    return session.Submit(c);
  });

  model::SetFields set;
  std::vector<std::string> set_fields;
  std::vector<std::string> set_clear;
  auto* case_set = cas->add_subcommand(
      "set", "set, correct or clear case fields without moving the case (a booking number, a "
             "test result)");
  case_set->add_option("number", *set.mutable_case_number(), "case number")->required();
  case_set->add_option("--field", set_fields, "name=value (repeatable)");
  case_set->add_option("--clear", set_clear, "a field to remove (repeatable)");
  case_set->add_option("--reason", *set.mutable_reason(),
                       "why, when a value is corrected or cleared");
  on(case_set, [&]() -> Status {
    model::Command c;
    *c.mutable_set_fields() = set;
    for (const auto& name : set_clear) c.mutable_set_fields()->add_clear(name);
    RETURN_IF_ERROR(AddFields(set_fields, c.mutable_set_fields()->mutable_fields()));
    return session.Submit(c);
  });

  model::CloseCase close;
  auto* case_close = cas->add_subcommand("close", "close a case whose work is finished");
  case_close->add_option("number", *close.mutable_case_number(), "case number")->required();
  case_close->add_option("--reason", *close.mutable_reason(), "outcome, for the record")->required();
  on(case_close, [&]() -> Status {
    model::Command c;
    *c.mutable_close_case() = close;
    return session.Submit(c);
  });

  model::CancelCase cancel;
  auto* case_cancel = cas->add_subcommand("cancel", "stop work on a case, with a reason");
  case_cancel->add_option("number", *cancel.mutable_case_number(), "case number")->required();
  case_cancel->add_option("--reason", *cancel.mutable_reason(), "why")->required();
  on(case_cancel, [&]() -> Status {
    model::Command c;
    *c.mutable_cancel_case() = cancel;
    return session.Submit(c);
  });

  model::PauseCase pause;
  auto* case_pause = cas->add_subcommand("pause", "stop a case's clocks while it waits on an outside party");
  case_pause->add_option("number", *pause.mutable_case_number(), "case number")->required();
  case_pause->add_option("--reason", *pause.mutable_reason(),
                         "a reason the case's state allows (see `workflow show TYPE`)")->required();
  int pause_task = 0;
  case_pause->add_option("--task", pause_task, "stop only this task's clock (its number)");
  on(case_pause, [&]() -> Status {
    model::Command c;
    *c.mutable_pause_case() = pause;
    c.mutable_pause_case()->set_task(pause_task);
    return session.Submit(c);
  });

  model::ResumeCase resume;
  auto* case_resume = cas->add_subcommand("resume", "end a pause: the party it waited for has answered");
  case_resume->add_option("number", *resume.mutable_case_number(), "case number")->required();
  case_resume->add_option("--reason", *resume.mutable_reason(),
                          "which pause ends, when the case waits for more than one");
  on(case_resume, [&]() -> Status {
    model::Command c;
    *c.mutable_resume_case() = resume;
    return session.Submit(c);
  });

  // handoff
  auto* handoff = app.add_subcommand("handoff", "hand a leg of a case to another centre")->require_subcommand(1);
  model::RequestHandoff request;
  auto* handoff_request = handoff->add_subcommand("request", "ask another centre to take a leg (coordinators)");
  handoff_request->add_option("number", *request.mutable_case_number(), "case number")->required();
  handoff_request->add_option("--to", *request.mutable_to_centre(), "the centre asked, e.g. SZ")->required();
  handoff_request->add_option("--leg", *request.mutable_leg(), "which leg (see `workflow show TYPE`)");
  handoff_request->add_option("--message", *request.mutable_message(), "what they must do")->required();
  on(handoff_request, [&]() -> Status {
    model::Command c;
    *c.mutable_request_handoff() = request;
    return session.Submit(c);
  });
  std::string handoff_id, handoff_reason;
  auto* handoff_accept = handoff->add_subcommand("accept", "take a leg offered to your centre");
  handoff_accept->add_option("id", handoff_id, "handoff, e.g. FJ-2026-0003/H1")->required();
  on(handoff_accept, [&]() -> Status {
    model::Command c;
    auto* a = c.mutable_accept_handoff();
    int id = 0;
    RETURN_IF_ERROR(ParseHandoffId(handoff_id, a->mutable_case_number(), &id));
    a->set_handoff(id);
    return session.Submit(c);
  });
  auto* handoff_decline = handoff->add_subcommand("decline", "refuse a leg offered to your centre");
  handoff_decline->add_option("id", handoff_id, "handoff, e.g. FJ-2026-0003/H1")->required();
  handoff_decline->add_option("--reason", handoff_reason, "why, so the other centre can decide again")->required();
  on(handoff_decline, [&]() -> Status {
    model::Command c;
    auto* d = c.mutable_decline_handoff();
    int id = 0;
    RETURN_IF_ERROR(ParseHandoffId(handoff_id, d->mutable_case_number(), &id));
    d->set_handoff(id);
    d->set_reason(handoff_reason);
    return session.Submit(c);
  });
  bool all_handoffs = false;
  auto* handoff_list = handoff->add_subcommand("list", "pending handoffs from or to your centre");
  handoff_list->add_flag("--all", all_handoffs, "include accepted, declined and withdrawn ones");
  on(handoff_list, [&]() -> Status {
    dispatch::ReadRequest r{{"handoffs"}};
    if (all_handoffs) r.query["all"] = "1";
    return session.Show<model::HandoffList>(r, [&](const model::HandoffList& l) {
      PrintHandoffs(out, Vec(l.handoff()), session.lang());
    });
  });

  // duty
  auto* duty = app.add_subcommand("duty", "who is on duty, in which role")->require_subcommand(1);
  model::DutyOn duty_on;
  auto* duty_on_cmd = duty->add_subcommand("on", "go on duty (new tasks come to you)");
  duty_on_cmd->add_option("--role", *duty_on.mutable_role(),
                          "duty_officer, coordinator, supervisor or network_coordinator (default: your role)");
  duty_on_cmd->add_option("--user", *duty_on.mutable_user(), "someone else (supervisors, for their centre)");
  duty_on_cmd->add_option("--from", *duty_on.mutable_from(), "start later, e.g. 2026-12-01T08:00");
  duty_on_cmd->add_option("--until", *duty_on.mutable_until(), "end of the shift, e.g. 2026-12-01T20:00");
  on(duty_on_cmd, [&]() -> Status {
    model::Command c;
    *c.mutable_duty_on() = duty_on;
    return session.Submit(c);
  });
  model::DutyOff duty_off;
  auto* duty_off_cmd = duty->add_subcommand("off", "go off duty");
  duty_off_cmd->add_option("--user", *duty_off.mutable_user(), "someone else (supervisors, for their centre)");
  on(duty_off_cmd, [&]() -> Status {
    model::Command c;
    *c.mutable_duty_off() = duty_off;
    return session.Submit(c);
  });
  on(duty->add_subcommand("list", "who is on duty now"), [&]() -> Status {
    return session.Show<model::ShiftList>({{"duty"}}, [&](const model::ShiftList& l) {
      PrintShifts(out, Vec(l.shift()), session.lang());
    });
  });

  // inbox and outbox
  bool unread = false;
  int64_t read_id = 0;
  auto* inbox = app.add_subcommand("inbox", "messages for you and your centre");
  inbox->add_flag("--unread", unread, "only unread messages");
  auto* inbox_read = inbox->add_subcommand("read", "mark a message read");
  inbox_read->add_option("id", read_id, "message number")->required();
  on(inbox_read, [&]() -> Status {
    model::Command c;
    c.mutable_mark_read()->set_inbox_item(read_id);
    return session.Submit(c);
  });
  inbox->callback([&] {
    if (inbox_read->parsed()) return;
    action = [&]() -> Status {
      dispatch::ReadRequest r{{"inbox"}};
      if (unread) r.query["unread"] = "1";
      r.query["limit"] = std::to_string(kMostMessages);
      return session.Show<model::InboxList>(r, [&](const model::InboxList& l) {
        PrintInbox(out, Vec(l.item()), session.lang());
        if (l.item_size() >= kMostMessages) {
          out << Pick(session.lang(), "The newest ", "最新的 ") << kMostMessages
              << Pick(session.lang(), " are shown.\n", " 則。\n");
        }
      });
    };
  });
  auto* outbox = app.add_subcommand("outbox", "notifications and their delivery")->require_subcommand(1);
  std::string outbox_status = "all";
  int outbox_limit = 50;
  auto* outbox_list = outbox->add_subcommand("list", "newest first; dead ones need a person");
  outbox_list->add_option("--status", outbox_status, "pending, done, dead or all (default all)");
  outbox_list->add_option("--limit", outbox_limit, "at most this many (default 50)");
  on(outbox_list, [&]() -> Status {
    dispatch::ReadRequest r{{"outbox"}, {{"status", outbox_status}}};
    r.query["limit"] = std::to_string(outbox_limit);
    return session.Show<model::NotificationList>(r, [&](const model::NotificationList& l) {
      PrintOutbox(out, Vec(l.notification()), session.lang());
    });
  });

  // contacts: calls and visits, counted
  auto* contact_cmd = app.add_subcommand("contact", "calls and visits to a centre (人次), counted in "
                                                    "the yearly report")->require_subcommand(1);
  model::LogContact log;
  std::string log_channel, log_at;
  auto* contact_log = contact_cmd->add_subcommand("log", "log a call or visit; prints its number");
  contact_log->add_option("--channel", log_channel, "phone, visit, chat or email")->required();
  contact_log->add_option("--category", *log.mutable_category(), "a code from `categories`")->required();
  contact_log->add_flag("--legal", [&log](int64_t) { log.set_legal_advice(true); },
                        "given under the free legal-advice service");
  contact_log->add_option("--note", *log.mutable_note(), "a short note");
  contact_log->add_option("--case", *log.mutable_case_number(), "the case it led to, if one");
  contact_log->add_option("--centre", *log.mutable_centre(), "the centre it came to (default: yours)");
  contact_log->add_option("--at", log_at, "when, if not now: 2026-03-02T14:30");
  on(contact_log, [&]() -> Status {
    model::Command c;
    *c.mutable_log_contact() = log;
    ASSIGN_OR_RETURN(const model::Channel channel, ParseChannel(log_channel));
    c.mutable_log_contact()->set_channel(channel);
    if (!log_at.empty()) {
      auto at = model::ParseTimestamp(log_at);
      if (!at.ok()) return Status::InvalidArgument(at.status().message() + " (--at)");
      *c.mutable_log_contact()->mutable_at() = model::ToProto(*at);
    }
    return session.Submit(c);
  });
  std::string contacts_centre, contacts_year;
  int contacts_limit = 50;
  auto* contact_list = contact_cmd->add_subcommand("list", "the contacts logged, newest first");
  contact_list->add_option("--centre", contacts_centre, "only this centre's (supervisors)");
  contact_list->add_option("--year", contacts_year, "only this year's");
  contact_list->add_option("--limit", contacts_limit, "at most this many (default 50)");
  on(contact_list, [&]() -> Status {
    dispatch::ReadRequest r{{"contacts"}, {{"centre", contacts_centre}, {"year", contacts_year}}};
    r.query["limit"] = std::to_string(contacts_limit);
    // With no categories file the contacts are still listed, by category code.
    const auto categories = session.CategoryList();
    const model::CategoryList none;
    return session.Show<model::ContactList>(r, [&](const model::ContactList& l) {
      PrintContacts(out, Vec(l.contact()), categories.ok() ? **categories : none, session.lang());
    });
  });

  // categories
  auto* categories_cmd = app.add_subcommand("categories", "what contacts and cases are counted under");
  auto* categories_list = categories_cmd->add_subcommand("list", "the categories, by group (the default)");
  std::string check_file;
  auto* categories_check = categories_cmd->add_subcommand(
      "check", "check a categories file before it is put in place; errors name file:line");
  categories_check->add_option("file", check_file, "the file (default: the one in use)");
  const auto list_categories = [&]() -> Status {
    return session.Show<model::CategoryList>({{"categories"}}, [&](const model::CategoryList& l) {
      PrintCategories(out, l, session.lang());
    });
  };
  on(categories_list, list_categories);
  categories_cmd->callback([&] {
    if (categories_list->parsed() || categories_check->parsed()) return;
    action = list_categories;  // `dispatch categories` alone lists them
  });
  on(categories_check, [&]() -> Status {
    const std::string path = check_file.empty() ? session.CategoriesPath() : check_file;
    ASSIGN_OR_RETURN(auto loaded, model::Categories::LoadFile(path));
    // A code records carry must still be there (retired, not deleted).
    if (g.server.empty() && std::filesystem::exists(g.db)) {
      ASSIGN_OR_RETURN(LocalBackend * local, session.Local("", SqliteStore::Mode::kOpenExisting));
      ASSIGN_OR_RETURN(auto used, local->dispatcher().store().Read().CategoriesInUse());
      RETURN_IF_ERROR(loaded.CheckKeeps(used));
      out << "ok  " << path << "  " << loaded.list().category_size() << " categories (agrees with "
          << g.db << ")\n";
      return Status::Ok();
    }
    out << "ok  " << path << "  " << loaded.list().category_size() << " categories\n";
    return Status::Ok();
  });

  // import: earlier records from CSV files
  auto* import_cmd = app.add_subcommand(
      "import", "enter earlier records from a CSV file, every row or none (supervisors)")
      ->require_subcommand(1);
  std::string import_file;
  for (const model::ImportKind kind : {model::IMPORT_CONTACTS, model::IMPORT_CASES}) {
    std::string help = kind == model::IMPORT_CONTACTS
                           ? "calls and visits counted before this system; columns: "
                           : "finished cases counted before this system; columns: ";
    for (const dispatch::ImportColumn& c : dispatch::ImportColumns(kind)) {
      help += std::string(c.name) + (c.required ? "" : "?") + " ";
    }
    auto* sub = import_cmd->add_subcommand(std::string(dispatch::ImportKindName(kind)), help);
    sub->add_option("file", import_file, "a CSV file (UTF-8) whose first line names its columns")
        ->required();
    on(sub, [&session, &import_file, kind]() -> Status {
      ASSIGN_OR_RETURN(std::string bytes, model::ReadFile(import_file));
      model::Command c;
      c.mutable_import_records()->set_kind(kind);
      c.mutable_import_records()->set_file_name(
          std::filesystem::path(import_file).filename().string());
      c.mutable_import_records()->set_csv(std::move(bytes));
      return session.Submit(c);
    });
  }

  // reports
  auto* report_cmd = app.add_subcommand("report", "what supervisors publish")->require_subcommand(1);
  std::string report_year, report_centre, report_compare, report_format = "table", report_out;
  bool report_legal = false;
  auto* report_year_cmd = report_cmd->add_subcommand(
      "year", "a year's contacts and cases: totals, top categories, year on year, by centre and month");
  report_year_cmd->add_option("year", report_year, "e.g. 2026")->required();
  report_year_cmd->add_option("--centre", report_centre, "one centre (default: the network)");
  report_year_cmd->add_flag("--legal", report_legal, "only the legal-advice service's work");
  report_year_cmd->add_option("--compare", report_compare, "years to compare with, e.g. 2024,2025");
  report_year_cmd->add_option("--format", report_format, "table, csv, json or html (default table)");
  report_year_cmd->add_option("--out", report_out, "write to this file instead of the terminal");
  on(report_year_cmd, [&]() -> Status {
    if (report_format != "table" && report_format != "csv" && report_format != "json" &&
        report_format != "html") {
      return Status::InvalidArgument("--format takes table, csv, json or html, not '" +
                                     report_format + "'");
    }
    dispatch::ReadRequest r{{"reports", "year", report_year},
                            {{"centre", report_centre}, {"compare", report_compare}}};
    if (report_legal) r.query["legal"] = "1";
    ASSIGN_OR_RETURN(model::YearReport report, session.Get<model::YearReport>(r));
    std::string text;
    if (report_format == "json" || g.json) {
      ASSIGN_OR_RETURN(text, model::EncodeJson(report, /*pretty=*/true));
      text += '\n';
    } else if (report_format == "csv") {
      text = dispatch::YearReportCsv(report);
    } else if (report_format == "html") {
      text = dispatch::YearReportHtml(report, session.lang());
    } else {
      std::ostringstream table;
      PrintYearReport(table, report, session.lang());
      text = table.str();
    }
    if (report_out.empty()) {
      out << text;
      return Status::Ok();
    }
    return WriteFileDurably(report_out, text);
  });

  std::string service_year, service_centre, service_format = "table";
  auto* report_service_cmd = report_cmd->add_subcommand(
      "service", "a year's service: deadlines met and missed, time to accept handoffs, time "
                 "paused, cases past their deadline");
  report_service_cmd->add_option("year", service_year, "e.g. 2026")->required();
  report_service_cmd->add_option("--centre", service_centre, "one centre (default: the network)");
  report_service_cmd->add_option("--format", service_format, "table or json (default table)");
  on(report_service_cmd, [&]() -> Status {
    if (service_format != "table" && service_format != "json") {
      return Status::InvalidArgument("--format takes table or json, not '" + service_format + "'");
    }
    ASSIGN_OR_RETURN(model::ServiceFigures figures,
                     session.Get<model::ServiceFigures>(
                         {{"reports", "service", service_year}, {{"centre", service_centre}}}));
    if (service_format == "json" || g.json) {
      ASSIGN_OR_RETURN(std::string text, model::EncodeJson(figures, /*pretty=*/true));
      out << text << '\n';
    } else {
      PrintServiceFigures(out, figures, session.lang());
    }
    return Status::Ok();
  });

  // serve
  server::ServeOptions serve;
  std::string listen = "127.0.0.1:8080";
  auto* serve_cmd = app.add_subcommand(
      "serve", "run the shared server: HTTP API, live deadlines, delivery (see README)");
  serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any)");
  serve_cmd->add_option("--threads", serve.io_threads, "threads for HTTP connections (default 2)");
  std::string log_format = "text";
  serve_cmd->add_option("--log-format", log_format, "text or json (one JSON object a line)");
  serve_cmd->add_option("--tls-cert", serve.tls_cert, "HTTPS: the certificate (chain), a PEM file");
  serve_cmd->add_option("--tls-key", serve.tls_key, "HTTPS: its private key, a PEM file");
  on(serve_cmd, [&]() -> Status {
    RETURN_IF_ERROR(server::ParseListen(listen, serve));
    serve.db = g.db;
    serve.webhook_ca = g.webhook_ca;
    RETURN_IF_ERROR(session.LoadCatalog());
    // The server logs what it does, one line a request.
    if (!g.verbose) spdlog::set_level(spdlog::level::info);
    RETURN_IF_ERROR(server::SetLogFormat(log_format));
    return server::Serve(serve, session.catalog(), out);
  });

  // tick
  on(app.add_subcommand("tick", "fire due deadlines and deliver due notifications, nothing else"),
     [&]() -> Status {
       ASSIGN_OR_RETURN(LocalBackend * local, session.Local("tick"));
       ASSIGN_OR_RETURN(auto r, local->Tick(kTickBudget));
       out << Pick(session.lang(), "Deadlines fired: ", "已觸發限期：") << r.deadlines_fired
           << Pick(session.lang(), "; notifications delivered: ", "；已送出通知：") << r.delivery.delivered
           << Pick(session.lang(), ", to retry: ", "，待重試：") << r.delivery.retrying
           << Pick(session.lang(), ", dead: ", "，放棄：") << r.delivery.dead << "\n";
       return Status::Ok();
     });

  // task
  auto* task = app.add_subcommand("task", "list, assign and finish tasks")->require_subcommand(1);
  bool mine = false, all_tasks = false;
  std::string task_case, task_centre;
  auto* task_list = task->add_subcommand("list", "open tasks you can see, most urgent first");
  task_list->add_flag("--mine", mine, "only tasks assigned to you");
  task_list->add_option("--case", task_case, "only this case's tasks");
  task_list->add_option("--centre", task_centre, "only this centre's tasks");
  task_list->add_flag("--all", all_tasks, "include done and cancelled tasks");
  on(task_list, [&]() -> Status {
    dispatch::ReadRequest r{{"tasks"}};
    if (mine) r.query["mine"] = "1";
    if (!task_case.empty()) r.query["case"] = task_case;
    if (!task_centre.empty()) r.query["centre"] = task_centre;
    if (all_tasks) r.query["all"] = "1";
    r.query["limit"] = std::to_string(kMostTasks);
    return session.Show<model::TaskList>(r, [&](const model::TaskList& l) {
      Labels labels = session.labels();
      PrintTaskList(out, Vec(l.task()), labels, session.now());
      if (l.task_size() >= kMostTasks) {
        out << Pick(session.lang(), "The most urgent ", "最緊急的 ") << kMostTasks
            << Pick(session.lang(), " are shown; narrow the list with --mine, --case or --centre.\n",
                    " 項；以 --mine、--case 或 --centre 收窄。\n");
      }
    });
  });

  std::string task_id, assignee, done_note, na_reason;
  auto* task_assign = task->add_subcommand("assign", "give a task to someone (default: yourself)");
  task_assign->add_option("task", task_id, "task, e.g. SZ-2026-0007/3")->required();
  task_assign->add_option("user", assignee, "who takes it (default: you)");
  on(task_assign, [&]() -> Status {
    model::Command c;
    auto* a = c.mutable_assign_task();
    RETURN_IF_ERROR(ParseTaskId(task_id, a->mutable_case_number(), a->mutable_task()));
    if (assignee.empty()) {
      ASSIGN_OR_RETURN(auto me, session.Me());
      assignee = me.user;
    }
    a->set_assignee(assignee);
    return session.Submit(c);
  });

  auto* task_done = task->add_subcommand("done", "mark a task done");
  task_done->add_option("task", task_id, "task, e.g. SZ-2026-0007/3")->required();
  task_done->add_option("--note", done_note, "what was done, for the timeline");
  on(task_done, [&]() -> Status {
    model::Command c;
    auto* d = c.mutable_complete_task();
    RETURN_IF_ERROR(ParseTaskId(task_id, d->mutable_case_number(), d->mutable_task()));
    d->set_note(done_note);
    return session.Submit(c);
  });

  auto* task_na = task->add_subcommand(
      "na", "mark a task the case does not need as not applicable (where the case type allows)");
  task_na->add_option("task", task_id, "task, e.g. SZ-2026-0007/3")->required();
  task_na->add_option("--reason", na_reason, "why this case does not need it")->required();
  on(task_na, [&]() -> Status {
    model::Command c;
    auto* n = c.mutable_mark_not_applicable();
    RETURN_IF_ERROR(ParseTaskId(task_id, n->mutable_case_number(), n->mutable_task()));
    n->set_reason(na_reason);
    return session.Submit(c);
  });

  // workflow
  auto* wf = app.add_subcommand("workflow", "case types and their definitions")->require_subcommand(1);
  on(wf->add_subcommand("list", "the case types a new case can have"), [&]() -> Status {
    return session.Show<model::WorkflowList>({{"workflows"}}, [&](const model::WorkflowList& l) {
      PrintWorkflowList(out, l, session.lang());
    });
  });
  std::string wf_name;
  auto* wf_show = wf->add_subcommand("show", "states, tasks and events of a case type");
  wf_show->add_option("type", wf_name, "case type")->required();
  on(wf_show, [&]() -> Status {
    return session.Show<model::WorkflowDefinition>(
        {{"workflows", wf_name}},
        [&](const model::WorkflowDefinition& def) { PrintWorkflow(out, def, session.lang()); });
  });
  std::vector<std::string> wf_files;
  auto* wf_validate = wf->add_subcommand(
      "validate", "check definition files (default: every file in --workflows); errors name file:line");
  wf_validate->add_option("files", wf_files, "*.textproto files");
  bool wf_pinned = false;
  wf_validate->add_flag("--pinned", wf_pinned,
                        "also check each file against the versions cases in --db run on: a "
                        "changed file must raise its version");
  on(wf_validate, [&]() -> Status {
    LocalBackend* local = nullptr;
    if (wf_pinned) {
      ASSIGN_OR_RETURN(local, session.Local("workflow validate --pinned"));
    }
    std::string problems;
    const auto add = [&](const std::string& problem) {
      problems += (problems.empty() ? "" : "\n") + problem;
    };
    const auto check = [&](const model::LoadedDefinition& def) {
      if (local != nullptr) {
        if (Status s = local->dispatcher().CheckPinnable(def); !s.ok()) return add(s.message());
      }
      out << "ok  " << def.path << "  " << def.definition.name() << " v"
          << def.definition.version() << "  " << def.content_hash.substr(0, 12)
          << (local != nullptr ? "  (agrees with the cases in " + g.db + ")" : "") << '\n';
    };
    if (wf_files.empty()) {
      // The directory as the catalog loads it: which files are in use, which not.
      ASSIGN_OR_RETURN(auto catalog, model::WorkflowCatalog::LoadDirectory(g.workflows));
      for (const model::LoadedDefinition* def : catalog.All()) check(*def);
      for (const auto& b : catalog.Broken()) add(b.problem());
      if (!catalog.Broken().empty()) problems += "\n(not in use until fixed; the files above are)";
      return problems.empty() ? Status::Ok() : Status::InvalidArgument(problems);
    }
    for (const auto& f : wf_files) {
      auto def = model::LoadDefinitionFile(f);
      if (def.ok()) {
        check(*def);
      } else {
        add(def.status().message());
      }
    }
    return problems.empty() ? Status::Ok() : Status::InvalidArgument(problems);
  });

  // scenario
  auto* sc = app.add_subcommand("scenario", "scripted real cases in virtual time")->require_subcommand(1);
  std::vector<std::string> sc_files;
  std::string keep_in;
  bool quiet = false;
  auto* sc_run = sc->add_subcommand("run", "run scenarios, each on a fresh database, and print their timelines");
  sc_run->add_option("files", sc_files, "scenario files")->required();
  sc_run->add_option("--keep-in", keep_in, "run them all into this database file instead (created if missing)");
  sc_run->add_flag("-q,--quiet", quiet, "print only PASS or FAIL lines");
  on(sc_run, [&]() -> Status { return RunScenarios(session, sc_files, keep_in, quiet); });

  // audit
  auto* audit_cmd = app.add_subcommand(
      "audit", "whether the journal is as dispatch wrote it (supervisors)")->require_subcommand(1);
  std::string audit_head, audit_case, audit_out;
  auto* audit_verify = audit_cmd->add_subcommand(
      "verify", "check the journal's hash chain: names the first row changed, inserted or deleted");
  audit_verify->add_option("--head", audit_head,
                           "a head kept from before (ROW:LINK): also check nothing up to it was "
                           "rewritten");
  on(audit_verify, [&]() -> Status {
    dispatch::ReadRequest r{{"audit"}, {{"head", audit_head}}};
    ASSIGN_OR_RETURN(model::JournalAudit audit, session.Get<model::JournalAudit>(r));
    if (g.json) {
      ASSIGN_OR_RETURN(std::string text, model::EncodeJson(audit, /*pretty=*/true));
      out << text << '\n';
    } else {
      PrintJournalAudit(out, audit, session.lang());
    }
    if (audit.intact()) return Status::Ok();
    return Status::DataLoss(audit.fault().what().en() +
                            "; restore the database from a backup taken before it, and keep "
                            "the damaged file for whoever looks into it");
  });
  auto* audit_export = audit_cmd->add_subcommand(
      "export", "a case's journal with its hash chain, as JSON, for a record kept outside");
  audit_export->add_option("case", audit_case, "case number")->required();
  audit_export->add_option("--out", audit_out, "write to this file instead of the terminal");
  on(audit_export, [&]() -> Status {
    ASSIGN_OR_RETURN(model::CaseJournal journal, session.Get<model::CaseJournal>(
                                                     {{"cases", audit_case, "journal"}}));
    ASSIGN_OR_RETURN(std::string text, model::EncodeJson(journal, /*pretty=*/true));
    text += '\n';
    if (audit_out.empty()) {
      out << text;
      return Status::Ok();
    }
    RETURN_IF_ERROR(WriteFileDurably(audit_out, text));
    out << "Wrote " << journal.entry_size() << " event(s) of " << journal.case_number() << " to "
        << audit_out << "; the journal's head then was " << journal.journal_head_row() << ":"
        << journal.journal_head_link() << '\n';
    return Status::Ok();
  });

  // rebuild
  on(app.add_subcommand("rebuild", "rebuild the case and task tables from the journal (admins)"),
     [&]() -> Status {
       ASSIGN_OR_RETURN(LocalBackend * local, session.Local("rebuild"));
       ASSIGN_OR_RETURN(auto me, local->Me());
       ASSIGN_OR_RETURN(auto report, local->dispatcher().Rebuild(me));
       out << "Rebuilt " << report.cases << " case(s) from the journal.\n";
       if (!report.damaged.empty()) {
         std::string names;
         for (const auto& n : report.damaged) names += (names.empty() ? "" : ", ") + n;
         return Status::DataLoss("the journal of " + std::to_string(report.damaged.size()) +
                                 " case(s) cannot be read, and they were left as they were: " +
                                 names + "; restore the database from a backup");
       }
       return Status::Ok();
     });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);  // --help
    err << "error: " << Printable(e.what()) << "\nRun with --help for more information.\n";
    return kExitInvalidArgument;
  }

  auto logger = spdlog::stderr_color_mt("dispatch");
  spdlog::set_default_logger(logger);
  spdlog::set_level(g.verbose ? spdlog::level::info : spdlog::level::warn);
  // Protobuf's own complaints (a stored string that is not UTF-8) are said
  // better by the store, which names the row.
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int,
                                     const std::string& message) {
    spdlog::debug("protobuf: {}", message);
  });

  Status s = session.Start();
  if (s.ok()) {
    try {
      s = action ? action() : Status::InvalidArgument("no command given; see dispatch --help");
    } catch (const std::exception& e) {
      s = Status::Internal(std::string("unexpected failure: ") + e.what());
    }
  }
  if (!s.ok()) {
    err << "error: " << Printable(ForCommandLine(s)) << '\n';
    return ExitCodeFor(s.code());
  }
  return kExitOk;
}

}  // namespace cli
