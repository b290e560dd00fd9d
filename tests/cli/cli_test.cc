// The dispatch binary, run as a real child process on a real database file.
#include <doctest/doctest.h>
#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/proto/case.pb.h"
#include "model/proto/workflow.pb.h"
#include "model/crypto.h"
#include "model/time.h"
#include "support/cli.h"
#include "support/http_receiver.h"
#include "support/process.h"
#include "support/temp_dir.h"

using testing::Cli;
using testing::FileBytes;
using testing::ProcessResult;

TEST_CASE("init, add a user, open a case: the number is printed") {
  Cli cli;
  ProcessResult init = cli.Run({"init"});
  CHECK(init.exit_code == 0);
  CHECK(init.out.find("admin user 'admin'") != std::string::npos);
  CHECK(cli.Run({"init"}).err == "error: the database is already initialised\n");
  cli.Must({"user", "add", "chan_sz", "--centre", "SZ", "--role", "duty_officer"}, "admin");
  CHECK(cli.OpenEscort() == "SZ-2026-0001");
}

TEST_CASE("a wrong HKID check digit is refused and the database is unchanged byte for byte") {
  Cli cli;
  cli.Setup();
  const std::string before = FileBytes(cli.db());
  ProcessResult r = cli.Run({"case", "open", "--type", "escort_to_port", "--centre", "SZ",
                             "--name-zh", "陳大文", "--hkid", "A123456(4)"},
                            "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "error: the Hong Kong identity card number is not valid: the check digit does not match; "
        "read the number from the card again (--hkid)\n");
  CHECK(FileBytes(cli.db()) == before);
  CHECK_FALSE(std::filesystem::exists(cli.db() + "-wal"));
  // The right check digit is accepted, and takes the first number.
  CHECK(cli.OpenEscort() == "SZ-2026-0001");
  CHECK(FileBytes(cli.db()) != before);
}

TEST_CASE("a name typed in a Big5 terminal is refused, naming the flag, and writes nothing") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();
  const std::string before = FileBytes(cli.db());
  const std::string big5 = "\xb3\xaf\xa4\x6a\xa4\xe5";  // 陳大文 in Big5
  struct Case {
    std::vector<std::string> args;
    std::string flag;
  };
  const Case cases[] = {
      {{"case", "open", "--type", "escort_to_port", "--name-en", "x\xff"}, "--name-en"},
      {{"case", "open", "--type", "escort_to_port", "--name-zh", big5}, "--name-zh"},
      {{"case", "open", "--type", "escort_to_port", "--name-zh", "陳", "--summary", big5},
       "--summary"},
      {{"case", "open", "--type", "escort_to_port", "--name-zh", "陳", "--location", big5},
       "--location"},
      {{"case", "open", "--type", "escort_to_port", "--name-zh", "陳", "--kin-name", big5},
       "--kin-name"},
      {{"case", "note", number, big5}, "the note"},
      {{"task", "done", number + "/1", "--note", big5}, "--note"},
      {{"case", "cancel", number, "--reason", big5}, "--reason"},
  };
  for (const Case& c : cases) {
    ProcessResult r = cli.Run(c.args, "chan_sz");
    CAPTURE(c.flag);
    CHECK(r.exit_code == 2);
    CHECK(r.err == "error: " + c.flag +
                       " is not valid UTF-8 text; set the terminal or browser to UTF-8 (not Big5 "
                       "or GBK) and type it again\n");
  }
  CHECK(FileBytes(cli.db()) == before);
  cli.Must({"case", "list"}, "chan_sz");
}

TEST_CASE("exit codes tell refusals apart, with a message on stderr") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();

  ProcessResult r = cli.Run({"case", "show", "SZ-2026-0999"}, "chan_sz");
  CHECK(r.exit_code == 3);
  CHECK(r.err == "error: no case SZ-2026-0999\n");

  // Another centre's case answers exactly as one that does not exist.
  r = cli.Run({"case", "show", number}, "lam_dg");
  CHECK(r.exit_code == 3);
  CHECK(r.err == "error: no case " + number + "\n");

  r = cli.Run({"case", "event", number, "plan_confirmed"}, "lam_dg");
  CHECK(r.exit_code == 3);

  r = cli.Run({"user", "add", "tam_sz", "--centre", "SZ", "--role", "duty_officer"}, "chan_sz");
  CHECK(r.exit_code == 4);
  CHECK(r.err == "error: chan_sz (duty_officer, SZ) cannot add users; ask an admin\n");

  r = cli.Run({"case", "event", number, "plan_confirmed"}, "chan_sz");
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("error: cannot 'plan_confirmed' on case " + number + " yet: task") == 0);

  r = cli.Run({"user", "add", "chan_sz", "--centre", "SZ", "--role", "duty_officer"}, "admin");
  CHECK(r.exit_code == 6);
  CHECK(r.err == "error: there is already a user named chan_sz\n");

  r = cli.Run({"case", "list"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("say who you are with --as NAME") != std::string::npos);

  r = cli.Run({"case", "list"}, "nobody");
  CHECK(r.exit_code == 3);

  r = cli.Run({"case", "frobnicate"}, "chan_sz");
  CHECK(r.exit_code == 2);

  // A filter naming nothing that exists is a typo, not an empty list.
  r = cli.Run({"case", "list", "--centre", "XX"}, "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: unknown centre 'XX'; centres are DG, FJ, GZ, HZ, SZ, ZS\n");
  CHECK(cli.Run({"case", "list", "--type", "nope"}, "chan_sz").exit_code == 2);
  CHECK(cli.Run({"task", "list", "--centre", "XX"}, "chan_sz").exit_code == 2);
  CHECK(cli.Run({"task", "done", number + "/0"}, "chan_sz").err ==
        "error: task numbers start at 1, e.g. SZ-2026-0007/1\n");

  r = cli.Run({"task", "done", "SZ-2026-0001"}, "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("name a task as CASE/NUMBER") != std::string::npos);

  r = cli.Run({"case", "event", number, "plan_confirmed", "--field", "port"}, "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--field takes name=value") != std::string::npos);

  r = cli.Run({"--lang", "fr", "case", "list"}, "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: unknown language 'fr'; use zh-Hant or en\n");
}

TEST_CASE("workflow validate names file, line and the unreachable state") {
  Cli cli;
  auto text = FileBytes(std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto");
  text += "\nstate {\n  name: \"lost\"\n  label { zh_hant: \"迷失\" en: \"Lost\" }\n  terminal: true\n}\n";
  const std::string path = cli.dir().Write("escort_broken.textproto", text);
  const int line = static_cast<int>(std::count(text.begin(), text.end(), '\n')) - 4;
  ProcessResult r = cli.Run({"workflow", "validate", path});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: " + path + ":" + std::to_string(line) +
                     ": state 'lost' is unreachable: no transition from 'planning' leads to it\n");

  r = cli.Run({"workflow", "validate", std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("escort_to_port v3") != std::string::npos);
}

TEST_CASE("--json prints protobuf JSON that parses back") {
  Cli cli;
  cli.Setup();
  ProcessResult r = cli.Must({"--json", "case", "open", "--type", "escort_to_port", "--name-en",
                              "CHAN Tai Man", "--field", "port=shenzhen_bay"},
                             "chan_sz");
  model::CaseState c;
  REQUIRE(google::protobuf::util::JsonStringToMessage(r.out, &c).ok());
  CHECK(c.number() == "SZ-2026-0001");
  CHECK(c.centre() == "SZ");  // the default: the officer's own centre
  CHECK(c.fields().at("port") == "shenzhen_bay");
  CHECK(c.task_size() == 3);

  r = cli.Must({"case", "list", "--json"}, "chan_sz");
  model::CaseList list;
  REQUIRE(google::protobuf::util::JsonStringToMessage(r.out, &list).ok());
  CHECK(list.case_state_size() == 1);

  r = cli.Must({"workflow", "list", "--json"});
  model::WorkflowList workflows;
  REQUIRE(google::protobuf::util::JsonStringToMessage(r.out, &workflows).ok());
  CHECK(workflows.workflow_size() == 4);
  CHECK(workflows.workflow(2).name() == "escort_to_port");

  r = cli.Must({"task", "list", "--json"}, "chan_sz");
  model::TaskList tasks;
  REQUIRE(google::protobuf::util::JsonStringToMessage(r.out, &tasks).ok());
  CHECK(tasks.task_size() == 3);
}

namespace {

// A copy of the shipped definitions in `cli`'s directory, for a test to edit.
std::string CopyOfShippedWorkflows(const Cli& cli) {
  const std::string dir = cli.dir().Path("workflows");
  std::filesystem::create_directory(dir);
  for (const auto& f : std::filesystem::directory_iterator(DISPATCH_WORKFLOW_DIR)) {
    std::filesystem::copy_file(f.path(), dir + "/" + f.path().filename().string());
  }
  return dir;
}

}  // namespace

TEST_CASE("a changed file that keeps its version is caught by validate --pinned and a broken newer one warns on open") {
  Cli cli;
  const std::string dir = CopyOfShippedWorkflows(cli);
  cli.set_workflows(dir);
  cli.Setup();
  cli.OpenEscort();  // pins escort_to_port as shipped
  {
    std::ofstream edited(dir + "/escort_to_port.textproto", std::ios::app);
    edited << "\n# an edit that kept the version\n";
  }
  CHECK(cli.Run({"workflow", "validate"}, "chan_sz").exit_code == 0);  // the file alone is fine
  ProcessResult r = cli.Run({"workflow", "validate", "--pinned"}, "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("escort_to_port.textproto is escort_to_port version 3, but cases already run on "
                   "a different version 3; a changed definition needs a higher version") !=
        std::string::npos);
  CHECK(r.out.find("ok  " + dir + "/stranded_resident.textproto") != std::string::npos);
  CHECK(r.out.find("(agrees with the cases in " + cli.db() + ")") != std::string::npos);

  // Back as shipped, with a broken version 4 beside it: new cases start on 3, and say so.
  std::filesystem::copy_file(std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto",
                             dir + "/escort_to_port.textproto",
                             std::filesystem::copy_options::overwrite_existing);
  {
    std::ofstream next(dir + "/escort_to_port_v4.textproto");
    next << "name: \"escort_to_port\"\nversion: 4\nstate {\n";
  }
  CHECK(cli.Run({"workflow", "validate", "--pinned", dir + "/escort_to_port.textproto"}, "chan_sz")
            .exit_code == 0);
  r = cli.Run({"case", "open", "--type", "escort_to_port", "--name-en", "LEE Ka Yan"}, "chan_sz");
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("warning: a escort_to_port definition file is not in use until it is fixed (" +
                   dir + "/escort_to_port_v4.textproto:") == 0);
  CHECK(r.err.find("this case starts on version 3, the newest good one") != std::string::npos);
}

TEST_CASE("a broken draft among the definitions stops nothing but itself") {
  Cli cli;
  const std::string dir = CopyOfShippedWorkflows(cli);
  {
    std::ofstream draft(dir + "/stranded_resident.textproto");
    draft << "name: \"stranded_resident\"\nversion: 1\ninitial_state: \"waiting\"\nstate {\n";
  }
  cli.set_workflows(dir);
  cli.Setup();
  const std::string number = cli.OpenEscort();  // every other type works
  CHECK(cli.Must({"case", "list"}, "chan_sz").out.find(number) != std::string::npos);

  ProcessResult r = cli.Run({"case", "open", "--type", "stranded_resident", "--name-en", "LEE Ka Yan"},
                            "chan_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("case type 'stranded_resident' is not in use until its definition is fixed: ") !=
        std::string::npos);
  CHECK(r.err.find("stranded_resident.textproto:5:") != std::string::npos);

  r = cli.Must({"workflow", "list"});
  CHECK(r.out.find("Not in use until fixed: " + dir + "/stranded_resident.textproto") !=
        std::string::npos);
  r = cli.Run({"workflow", "validate"});
  CHECK(r.exit_code != 0);
  CHECK(r.out.find("ok  " + dir + "/escort_to_port.textproto") != std::string::npos);
  CHECK(r.err.find("stranded_resident.textproto:5:") != std::string::npos);
}

TEST_CASE("case set: a fact known before the case moves, corrected with a reason") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();
  cli.Must({"case", "set", number, "--field", "crossing_date=2026-03-09", "--field",
            "port=shenzhen_bay"},
           "chan_sz");
  ProcessResult r = cli.Run({"case", "set", number, "--field", "crossing_date=2026-03-16"}, "chan_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("correcting or clearing a field needs a reason (--reason)") != std::string::npos);
  cli.Must({"case", "set", number, "--field", "crossing_date=2026-03-16", "--clear", "port",
            "--reason", "postponed a week; port to be agreed"},
           "chan_sz");
  r = cli.Must({"case", "timeline", number}, "chan_sz");
  CHECK(r.out.find("Fields: Crossing date = 2026-03-09; Border port = ") != std::string::npos);
  CHECK(r.out.find("Crossing date = 2026-03-16 (was 2026-03-09); Border port cleared (was Shenzhen Bay) — postponed a "
                   "week; "
                   "port to be agreed") != std::string::npos);
  r = cli.Run({"case", "set", number, "--clear", "colour", "--reason", "x"}, "chan_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("unknown field 'colour'") != std::string::npos);
  // A typed field says how to write it, and names the flag.
  r = cli.Run({"case", "set", number, "--field", "crossing_date=next Sunday maybe", "--reason", "x"},
              "chan_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("field 'crossing_date' (Crossing date) takes a date; write it as YYYY-MM-DD, "
                   "e.g. 2026-03-02 (--field)") != std::string::npos);
}

TEST_CASE("who called, a second person and an outside party's word, on the command line") {
  Cli cli;
  cli.Setup();
  ProcessResult r = cli.Run({"case", "open", "--type", "escort_to_port", "--name-zh", "何麗華",
                             "--caller-relation", "landlord", "--caller-phone", "138 0000 0000"},
                            "chan_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("(--caller-name)") != std::string::npos);
  const std::string number =
      cli.Must({"case", "open", "--type", "escort_to_port", "--name-zh", "何麗華", "--caller-name",
                "Mr Lau", "--caller-relation", "landlord", "--caller-org", "Futian rental office",
                "--caller-phone", "138 0000 0000", "--caller-note", "after 6pm"},
               "chan_sz")
          .out;
  const std::string n = number.substr(0, number.find('\n'));
  r = cli.Run({"case", "person", n, "--name-zh", "何志強", "--hkid", "B123456(5)", "--relation", "husband"},
              "chan_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("(--hkid)") != std::string::npos);
  CHECK(r.err.find("123456") == std::string::npos);
  cli.Must({"case", "person", n, "--name-zh", "何志強", "--hkid", "B123456(6)", "--relation", "husband"},
           "chan_sz");
  r = cli.Run({"case", "contact", n, "--party", "Futian police", "--channel", "phone", "--at",
               "yesterday", "--said", "x"},
              "chan_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("(--at)") != std::string::npos);
  cli.Must({"case", "contact", n, "--party", "Futian police", "--person", "Officer Wu", "--channel",
            "visit", "--said", "they hold her bag and papers"},
           "chan_sz");
  r = cli.Must({"case", "show", n}, "chan_sz");
  CHECK(r.out.find("Mr Lau (landlord), Futian rental office, 138 0000 0000 — after 6pm") !=
        std::string::npos);
  CHECK(r.out.find("何志強 (husband), B123456(6)") != std::string::npos);
  CHECK(r.out.find("Futian police (Officer Wu), visit: they hold her bag and papers") != std::string::npos);
  r = cli.Must({"case", "timeline", n}, "chan_sz");
  CHECK(r.out.find("Person added: 何志強 (husband)") != std::string::npos);
  CHECK(r.out.find("Contact: Futian police (Officer Wu), visit: they hold her bag and papers") !=
        std::string::npos);
}

TEST_CASE("task na: work a case does not need, where its type allows, with a reason") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();
  ProcessResult r = cli.Run({"task", "na", number + "/2", "--reason", "no papers"}, "chan_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("must be done; escort_to_port version 3 does not let it be marked not "
                   "applicable") != std::string::npos);
  cli.Must({"task", "na", number + "/3", "--reason", "already free to travel"}, "chan_sz");
  r = cli.Must({"case", "show", number}, "chan_sz");
  CHECK(r.out.find("not applicable") != std::string::npos);
  r = cli.Must({"case", "timeline", number}, "chan_sz");
  CHECK(r.out.find("not applicable: already free to travel") != std::string::npos);
}

TEST_CASE("a caller said late, a person corrected: what was given stays, and the timeline keeps both") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();
  cli.Must({"case", "caller", number, "--caller-name", "Mr Lau", "--caller-relation", "landlord"},
           "chan_sz");
  ProcessResult r = cli.Run({"case", "caller", number, "--caller-relation", "neighbour"}, "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: correcting who called needs a reason (--reason)\n");
  cli.Must({"case", "caller", number, "--caller-relation", "neighbour", "--reason",
            "a neighbour, not the landlord"},
           "chan_sz");
  r = cli.Run({"case", "correct-person", number, "1", "--hkid", "A123456(4)", "--reason", "typo"},
              "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--hkid") != std::string::npos);
  cli.Must({"case", "correct-person", number, "1", "--phone", "+852 5550 0101", "--reason",
            "the daughter gave her new number"},
           "chan_sz");
  r = cli.Must({"case", "show", number}, "chan_sz");
  CHECK(r.out.find("Mr Lau (neighbour)") != std::string::npos);
  CHECK(r.out.find("+852 5550 0101") != std::string::npos);
  CHECK(r.out.find("A123456(3)") != std::string::npos);
  r = cli.Must({"case", "timeline", number}, "chan_sz");
  CHECK(r.out.find("Called by: Mr Lau (neighbour) (was Mr Lau (landlord)) — a neighbour, not the "
                   "landlord") != std::string::npos);
  CHECK(r.out.find("Person 1 (陳大文 CHAN Tai Man) corrected: phone = +852 5550 0101 (was -) — the "
                   "daughter gave her new number") != std::string::npos);
}

TEST_CASE("a crossing booked ahead waits for its day, and the board lists it") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();
  const std::string other = cli.OpenEscort();
  for (const char* t : {"/1", "/2", "/3"}) cli.Must({"task", "done", number + t}, "chan_sz");
  const auto now = std::chrono::time_point_cast<model::Millis>(std::chrono::system_clock::now());
  const std::string day = model::FormatDate(model::HongKongDay(now) + std::chrono::days(10));
  ProcessResult r = cli.Must({"case", "event", number, "plan_confirmed", "--field",
                              "port=shenzhen_bay", "--field", "crossing_date=" + day, "--field",
                              "hk_receiver=family"},
                             "chan_sz");
  CHECK(r.out.find("→ Planned; waiting for the crossing day") != std::string::npos);
  r = cli.Must({"case", "list", "--waiting"}, "chan_sz");
  CHECK(r.out.find("Moves on") != std::string::npos);
  CHECK(r.out.find(number) != std::string::npos);
  CHECK(r.out.find(other) == std::string::npos);
  // The day before the crossing, at 09:00 Hong Kong time.
  const std::string eve = model::FormatDate(model::HongKongDay(now) + std::chrono::days(9));
  CHECK(r.out.find(eve + " 09:00") != std::string::npos);
  r = cli.Must({"case", "show", number}, "chan_sz");
  CHECK(r.out.find(eve + " 09:00 (waiting for the day)") != std::string::npos);
  CHECK(cli.Run({"case", "list", "--waiting", "--after", number}, "chan_sz").exit_code == 2);
  // Moved to today: the case sets off at once, and the answer says so.
  const std::string today = model::FormatDate(model::HongKongDay(now));
  r = cli.Must({"case", "set", number, "--field", "crossing_date=" + today, "--reason",
                "a quota came free today"},
               "chan_sz");
  CHECK(r.out.find("→ Travelling to the port") != std::string::npos);
  CHECK(cli.Must({"case", "list", "--waiting"}, "chan_sz").out.find(number) == std::string::npos);
}

TEST_CASE("a duty officer's day: tasks, events and the timeline, in both languages") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();
  cli.Must({"task", "assign", number + "/1"}, "chan_sz");
  ProcessResult mine = cli.Must({"task", "list", "--mine"}, "chan_sz");
  CHECK(mine.out.find(number + "/1") != std::string::npos);
  CHECK(mine.out.find(number + "/2") == std::string::npos);
  for (const char* t : {"/1", "/2", "/3"}) cli.Must({"task", "done", number + t}, "chan_sz");
  // Today's crossing sets off at once; one booked ahead would wait for its day.
  const std::string today = model::FormatDate(model::HongKongDay(
      std::chrono::time_point_cast<model::Millis>(std::chrono::system_clock::now())));
  ProcessResult moved = cli.Must({"case", "event", number, "plan_confirmed", "--field",
                                  "port=shenzhen_bay", "--field", "crossing_date=" + today,
                                  "--field", "hk_receiver=family"},
                                 "chan_sz");
  CHECK(moved.out.find("Planning the escort → Planned; waiting for the crossing day") !=
        std::string::npos);
  CHECK(moved.out.find("The crossing day is near; set off: Planned; waiting for the crossing day "
                       "→ Travelling to the port") != std::string::npos);
  cli.Must({"case", "note", number, "daughter", "confirmed", "by", "phone"}, "chan_sz");

  ProcessResult en = cli.Must({"case", "timeline", number}, "chan_sz");
  CHECK(en.out.find("Time (UTC+8)") != std::string::npos);
  CHECK(en.out.find("Note: daughter confirmed by phone") != std::string::npos);
  ProcessResult zh = cli.Must({"--lang", "zh-Hant", "case", "timeline", number}, "chan_sz");
  CHECK(zh.out.find("時間（UTC+8）") != std::string::npos);
  CHECK(zh.out.find("已安排，等候過境日 → 前往口岸") != std::string::npos);
  ProcessResult show = cli.Must({"--lang", "zh-Hant", "case", "show", number}, "chan_sz");
  CHECK(show.out.find("協助填寫健康申報") != std::string::npos);
  CHECK(show.out.find("過境口岸") != std::string::npos);
}

TEST_CASE("scenario run fails naming the step's file and line") {
  Cli cli;
  const std::string path = cli.dir().Write("bad_scenario.textproto", R"pb(name: "bad"
start_at: "2026-03-02T09:00:00+08:00"
user { name: "chan_sz" centre: "SZ" role: "duty_officer" }
step {
  as: "chan_sz"
  command { open_case { type: "escort_to_port" centre: "SZ" person { name_en: "X" } } }
  expect { state: "handed_over" }
}
)pb");
  ProcessResult r = cli.Run({"scenario", "run", path});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("FAIL " + path + ":7: step 1: expected state 'handed_over' but case "
                   "SZ-2026-0001 is at 'planning'") != std::string::npos);
  CHECK(r.err == "error: 1 of 1 scenario(s) failed\n");
}

TEST_CASE("duty roster: new tasks go to whoever is on duty") {
  Cli cli;
  cli.Setup();
  cli.Must({"user", "add", "lee_sz", "--centre", "SZ", "--role", "duty_officer"}, "admin");
  // The binary runs on the real clock: a shift to three days from now.
  const auto until = std::chrono::time_point_cast<model::Millis>(std::chrono::system_clock::now() +
                                                                 std::chrono::hours(72));
  ProcessResult on =
      cli.Must({"duty", "on", "--until", model::FormatRfc3339HongKong(until)}, "chan_sz");
  CHECK(on.out.find("chan_sz is on duty at SZ as duty officer") != std::string::npos);
  CHECK(cli.Run({"duty", "on"}, "chan_sz").exit_code == 5);
  CHECK(cli.Run({"duty", "on", "--user", "chan_sz"}, "lee_sz").exit_code == 4);
  ProcessResult list = cli.Must({"duty", "list"}, "lee_sz");
  CHECK(list.out.find("chan_sz") != std::string::npos);
  CHECK(list.out.find(model::FormatHongKong(until)) != std::string::npos);

  const std::string number = cli.OpenEscort();
  ProcessResult tasks = cli.Must({"task", "list", "--mine"}, "chan_sz");
  CHECK(tasks.out.find(number + "/1") != std::string::npos);
  CHECK(tasks.out.find(number + "/3") != std::string::npos);

  ProcessResult off = cli.Must({"duty", "off"}, "chan_sz");
  CHECK(off.out == "chan_sz is off duty.\n  " + number + "/1 → nobody on duty; supervisors told\n  " +
                       number + "/2 → nobody on duty; supervisors told\n  " + number +
                       "/3 → nobody on duty; supervisors told\n");
  CHECK(cli.Must({"duty", "list"}, "lee_sz").out == "Nobody is on duty.\n");
  CHECK(cli.Run({"duty", "off"}, "chan_sz").err == "error: chan_sz is not on duty\n");
}

TEST_CASE("a handoff between centres from the command line, with inbox and webhook") {
  testing::HttpReceiver chat_group(0);
  Cli cli;
  cli.Setup();
  cli.Must({"user", "add", "wong_fj", "--centre", "FJ", "--role", "coordinator"}, "admin");
  cli.Must({"user", "add", "mak_sz", "--centre", "SZ", "--role", "coordinator"}, "admin");
  CHECK(cli.Run({"centre", "webhook", "SZ", chat_group.Url("/sz")}, "mak_sz").exit_code == 4);
  cli.Must({"centre", "webhook", "SZ", chat_group.Url("/sz")}, "admin");
  ProcessResult opened = cli.Must({"case", "open", "--type", "escort_to_port", "--name-zh", "林秀英",
                                   "--hkid", "E364912(5)"},
                                  "wong_fj");
  const std::string number = opened.out.substr(0, opened.out.find('\n'));
  CHECK(number == "FJ-2026-0001");

  ProcessResult asked = cli.Run({"handoff", "request", number, "--to", "SZ", "--message",
                                 "Escort at Shenzhen Bay on the 18th"},
                                "wong_fj");
  CHECK(asked.exit_code == 0);
  CHECK(asked.out.find("Handoff H1 requested") != std::string::npos);
  // The command delivered the webhook before returning: masked, with its key.
  const auto got = chat_group.received();
  REQUIRE(got.size() == 1);
  CHECK(got[0].target == "/sz");
  CHECK(got[0].idempotency_key.rfind(number + ":", 0) == 0);
  CHECK(got[0].body.find("E364***(*)") != std::string::npos);
  CHECK(got[0].body.find("E364912") == std::string::npos);

  ProcessResult inbox = cli.Must({"inbox", "--unread"}, "mak_sz");
  CHECK(inbox.out.find("FJ asks SZ to take Escort at the port of " + number) != std::string::npos);
  ProcessResult pending = cli.Must({"--json", "handoff", "list"}, "mak_sz");
  model::HandoffList handoffs;
  REQUIRE(google::protobuf::util::JsonStringToMessage(pending.out, &handoffs).ok());
  REQUIRE(handoffs.handoff_size() == 1);
  CHECK(handoffs.handoff(0).handoff().to_centre() == "SZ");

  CHECK(cli.Run({"handoff", "accept", number + "/H7"}, "mak_sz").exit_code == 3);
  CHECK(cli.Run({"handoff", "accept", number}, "mak_sz").exit_code == 2);
  ProcessResult accepted = cli.Must({"handoff", "accept", number + "/H1"}, "mak_sz");
  CHECK(accepted.out.find("Handoff H1 accepted by SZ") != std::string::npos);
  ProcessResult fj = cli.Must({"--lang", "zh-Hant", "inbox"}, "wong_fj");
  CHECK(fj.out.find("SZ 已接手 " + number) != std::string::npos);
  const std::string id = fj.out.substr(fj.out.find('\n') + 1, 1);
  cli.Must({"inbox", "read", id}, "wong_fj");
  CHECK(cli.Run({"inbox", "read", "999"}, "wong_fj").exit_code == 3);

  CHECK(cli.Run({"outbox", "list"}, "chan_sz").exit_code == 4);
  ProcessResult outbox = cli.Must({"outbox", "list"}, "admin");
  CHECK(outbox.out.find("handoff_requested") != std::string::npos);
  CHECK(outbox.out.find("DONE") != std::string::npos);
}

TEST_CASE("pause and resume from the command line, and tick reports what it did") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();
  ProcessResult bad = cli.Run({"case", "pause", number, "--reason", "lunch"}, "chan_sz");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("reasons allowed here: family_to_confirm, port_booking, hospital_to_confirm") !=
        std::string::npos);
  ProcessResult paused = cli.Must({"case", "pause", number, "--reason", "family_to_confirm"}, "chan_sz");
  CHECK(paused.out.find("Paused: Waiting for the family to confirm") != std::string::npos);
  CHECK(cli.Must({"case", "show", number}, "chan_sz").out.find("(clock stopped)") != std::string::npos);
  ProcessResult resumed = cli.Must({"case", "resume", number}, "chan_sz");
  CHECK(resumed.out.find("Resumed after") != std::string::npos);
  CHECK(cli.Must({"tick"}).out ==
        "Deadlines fired: 0; notifications delivered: 0, to retry: 0, dead: 0\n");
}

TEST_CASE("bad times on the roster are refused with the form to use") {
  Cli cli;
  cli.Setup();
  ProcessResult r = cli.Run({"duty", "on", "--until", "soon"}, "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: 'soon' is not a time; write it like 2026-03-02T09:00+08:00 (--until)\n");
  CHECK(cli.Must({"duty", "list"}, "chan_sz").out == "Nobody is on duty.\n");
}

TEST_CASE("scenarios kept in one database, as the demo does, run one after another") {
  Cli cli;
  const std::string scenarios = std::string(DISPATCH_SOURCE_DIR) + "/scenarios/";
  ProcessResult r = cli.Run({"scenario", "run", "-q", "--keep-in", cli.db(),
                             scenarios + "case2_injured_elder_transfer.textproto",
                             scenarios + "case3_elder_alone_after_demolition.textproto"});
  REQUIRE_MESSAGE(r.exit_code == 0, (r.out + r.err));
  // Replaying one into the same file would overlap its own virtual shifts:
  // refused plainly, not silently answered from the first run.
  r = cli.Run({"scenario", "run", "-q", "--keep-in", cli.db(),
               scenarios + "case2_injured_elder_transfer.textproto"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("lam_dg is already on duty as duty_officer since 2026-05-11 10:15") !=
        std::string::npos);
  // Live work in it, as the demo does next...
  cli.Must({"user", "add", "sup_hq", "--centre", "GZ", "--role", "supervisor"}, "admin");
  ProcessResult list = cli.Must({"case", "list", "--status", "all"}, "sup_hq");
  CHECK(list.out.find("DG-2026-0001") != std::string::npos);
  CHECK(list.out.find("FJ-2026-0001") != std::string::npos);
  // ...and scenarios no longer run there.
  r = cli.Run({"scenario", "run", "-q", "--keep-in", cli.db(),
               scenarios + "case3_elder_alone_after_demolition.textproto"});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("holds live work") != std::string::npos);
}

TEST_CASE("an identity number typed into the wrong place never appears in full, -v log included") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"-v", "case", "open", "--type", "escort_to_port", "--name-zh", "陳", "--dob",
            "A123456(3)"},
           {"-v", "case", "open", "--type", "escort_to_port", "--name-zh", "陳", "--phone",
            "A123456(3)"},
           {"-v", "case", "open", "--type", "escort_to_port", "--name-zh", "陳", "--kin-phone",
            "A1234563"},
           {"-v", "case", "event", number, "plan_confirmed", "--field", "port=A123456(3)"},
           {"-v", "case", "show", "A123456(3)"},
           {"-v", "task", "assign", number + "/1", "A123456(3)"},
       }) {
    ProcessResult r = cli.Run(args, "chan_sz");
    CAPTURE(args[args.size() - 2]);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("123456") == std::string::npos);
  }
}

TEST_CASE("centres, the roster and the outbox need a name, and webhook URLs are for admins") {
  testing::HttpReceiver receiver(0);
  Cli cli;
  cli.Setup();
  cli.Must({"user", "add", "choi_dg", "--centre", "DG", "--role", "coordinator"}, "admin");
  cli.Must({"user", "add", "mak_sz", "--centre", "SZ", "--role", "coordinator"}, "admin");
  cli.Must({"user", "add", "ho_dg", "--centre", "DG", "--role", "supervisor"}, "admin");
  const std::string secret = receiver.Url("/bot/SECRET-TOKEN");
  cli.Must({"centre", "webhook", "SZ", secret}, "admin");
  const std::string number = cli.OpenEscort();  // unheld tasks: notifications to SZ

  for (const char* what : {"centre", "duty"}) {
    ProcessResult r = cli.Run({what, "list"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("say who you are") != std::string::npos);
  }
  CHECK(cli.Must({"centre", "list"}, "admin").out.find("SECRET-TOKEN") != std::string::npos);
  for (const char* who : {"chan_sz", "mak_sz", "ho_dg"}) {
    ProcessResult table = cli.Must({"centre", "list"}, who);
    CHECK(table.out.find("SECRET-TOKEN") == std::string::npos);
    CHECK(table.out.find(" set\n") != std::string::npos);
    ProcessResult json = cli.Must({"centre", "list", "--json"}, who);
    CHECK(json.out.find("SECRET-TOKEN") == std::string::npos);
    CHECK(json.out.find("\"has_webhook\": true") != std::string::npos);
  }
  // Shenzhen's coordinator sees Shenzhen's notifications, without the URL.
  ProcessResult sz = cli.Must({"outbox", "list", "--json"}, "mak_sz");
  CHECK(sz.out.find(number) != std::string::npos);
  CHECK(sz.out.find("SECRET-TOKEN") == std::string::npos);
  // Dongguan's coordinator sees none of them.
  ProcessResult dg = cli.Must({"outbox", "list", "--json"}, "choi_dg");
  CHECK(dg.out.find(number) == std::string::npos);
  // A supervisor elsewhere reads the case but does not write on it.
  cli.Must({"case", "show", number}, "ho_dg");
  ProcessResult note = cli.Run({"case", "note", number, "called the family"}, "ho_dg");
  CHECK(note.exit_code == 4);
  CHECK(note.err == "error: ho_dg (supervisor, DG) may read " + number +
                        " but not write on it; notes come from the centres working it\n");
}
