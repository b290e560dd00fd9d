#include "server/metrics.h"

#include <cstdio>

namespace server {

namespace {

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string Labels(const std::string& extra, const std::string& more) {
  if (extra.empty()) return more.empty() ? "" : "{" + more + "}";
  return "{" + extra + (more.empty() ? "" : "," + more) + "}";
}

}  // namespace

void Histogram::Observe(double seconds) {
  for (size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) ++counts_[i];
  }
  ++total_;
  sum_ += seconds;
}

std::string Histogram::Text(const std::string& name, const std::string& labels) const {
  std::string out;
  for (size_t i = 0; i < kBounds.size(); ++i) {
    out += name + "_bucket" + Labels(labels, "le=\"" + Number(kBounds[i]) + "\"") + " " +
           std::to_string(counts_[i]) + "\n";
  }
  out += name + "_bucket" + Labels(labels, "le=\"+Inf\"") + " " + std::to_string(total_) + "\n";
  out += name + "_sum" + Labels(labels, "") + " " + Number(sum_) + "\n";
  out += name + "_count" + Labels(labels, "") + " " + std::to_string(total_) + "\n";
  return out;
}

void Metrics::CommandDone(std::string_view kind, std::string_view outcome, model::Millis took) {
  std::lock_guard<std::mutex> lock(mu_);
  ++commands_[{std::string(kind), std::string(outcome)}];
  command_seconds_.Observe(took.count() / 1000.0);
}

void Metrics::RequestDone(int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[status];
}

void Metrics::DeadlineFired(model::Millis late) {
  std::lock_guard<std::mutex> lock(mu_);
  ++deadlines_fired_;
  lateness_seconds_.Observe(std::max<int64_t>(0, late.count()) / 1000.0);
}

void Metrics::LoginFailed() {
  std::lock_guard<std::mutex> lock(mu_);
  ++failed_logins_;
}

void Metrics::JournalChecked(const model::JournalAudit& audit) {
  std::lock_guard<std::mutex> lock(mu_);
  journal_intact_ = audit.intact();
  journal_problem_ =
      audit.intact() ? "" : "NOT as dispatch wrote it: " + audit.fault().what().en();
}

void Metrics::JournalNotChecked(const std::string& why) {
  std::lock_guard<std::mutex> lock(mu_);
  journal_problem_ = "it could not be checked: " + why;
}

std::string Metrics::JournalProblem() const {
  std::lock_guard<std::mutex> lock(mu_);
  return journal_problem_;
}

std::string Metrics::Text(const dispatch::Backlog& backlog) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP dispatch_commands_total Commands by kind and outcome (an error code, or ok).\n";
  out += "# TYPE dispatch_commands_total counter\n";
  for (const auto& [key, n] : commands_) {
    out += "dispatch_commands_total{kind=\"" + key.first + "\",outcome=\"" + key.second + "\"} " +
           std::to_string(n) + "\n";
  }
  out += "# HELP dispatch_command_seconds From a command's arrival to its answer, durable.\n";
  out += "# TYPE dispatch_command_seconds histogram\n";
  out += command_seconds_.Text("dispatch_command_seconds");
  out += "# HELP dispatch_http_requests_total HTTP requests by status code.\n";
  out += "# TYPE dispatch_http_requests_total counter\n";
  for (const auto& [status, n] : requests_) {
    out += "dispatch_http_requests_total{code=\"" + std::to_string(status) + "\"} " +
           std::to_string(n) + "\n";
  }
  out += "# HELP dispatch_deadline_firing_lateness_seconds From a deadline's time to its firing, committed.\n";
  out += "# TYPE dispatch_deadline_firing_lateness_seconds histogram\n";
  out += lateness_seconds_.Text("dispatch_deadline_firing_lateness_seconds");
  out += "# HELP dispatch_pending_timers Timers armed and not paused.\n";
  out += "# TYPE dispatch_pending_timers gauge\n";
  out += "dispatch_pending_timers " + std::to_string(backlog.timers) + "\n";
  out += "# HELP dispatch_outbox_notifications Notifications in the outbox by delivery status.\n";
  out += "# TYPE dispatch_outbox_notifications gauge\n";
  for (const auto& [status, name] : {std::pair{model::DELIVERY_PENDING, "pending"},
                                     std::pair{model::DELIVERY_DONE, "done"},
                                     std::pair{model::DELIVERY_DEAD, "dead"}}) {
    auto it = backlog.outbox.find(status);
    out += std::string("dispatch_outbox_notifications{status=\"") + name + "\"} " +
           std::to_string(it == backlog.outbox.end() ? 0 : it->second) + "\n";
  }
  out += "# HELP dispatch_failed_logins_total Sign-ins refused for a wrong name or password.\n";
  out += "# TYPE dispatch_failed_logins_total counter\n";
  out += "dispatch_failed_logins_total " + std::to_string(failed_logins_) + "\n";
  if (journal_intact_) {
    out += "# HELP dispatch_journal_intact Whether the journal's hash chain checked out at start "
           "(1) or not (0).\n";
    out += "# TYPE dispatch_journal_intact gauge\n";
    out += std::string("dispatch_journal_intact ") + (*journal_intact_ ? "1" : "0") + "\n";
  }
  return out;
}

}  // namespace server
