#include "model/categories.h"

#include <set>

#include <google/protobuf/text_format.h>

#include "model/text_proto.h"

namespace model {

Result<Categories> Categories::Load(std::string_view path, const std::string& text) {
  Categories out;
  out.path_ = std::string(path);
  google::protobuf::TextFormat::ParseInfoTree tree;
  RETURN_IF_ERROR(ParseTextProto(path, text, &out.list_, &tree));
  const TextLocation root(std::string(path), &tree, CategoryList::descriptor(), 1);
  Problems p;
  for (int i = 0; i < out.list_.group_size(); ++i) {
    const CategoryGroup& g = out.list_.group(i);
    const TextLocation at = root.Child("group", i);
    if (!IsIdentifier(g.code())) {
      p.Add(at, "code", -1, "group code '" + g.code() + "' must be lower_snake_case");
    } else if (!out.group_by_code_.emplace(g.code(), i).second) {
      p.Add(at, "code", -1, "group '" + g.code() + "' is listed twice");
    }
    CheckLabel(g.label(), at, "label", "group '" + g.code() + "'", p);
  }
  for (int i = 0; i < out.list_.category_size(); ++i) {
    const Category& c = out.list_.category(i);
    const TextLocation at = root.Child("category", i);
    if (!IsIdentifier(c.code())) {
      p.Add(at, "code", -1, "category code '" + c.code() + "' must be lower_snake_case");
    } else if (!out.by_code_.emplace(c.code(), i).second) {
      p.Add(at, "code", -1,
            "category '" + c.code() + "' is listed twice; a code is kept for ever, so give the "
            "new one another code");
    }
    if (!out.group_by_code_.contains(c.group())) {
      p.Add(at, "group", -1,
            "category '" + c.code() + "' is in group '" + c.group() + "', which is not listed");
    }
    CheckLabel(c.label(), at, "label", "category '" + c.code() + "'", p);
  }
  std::set<std::string> typed;
  for (int i = 0; i < out.list_.type_default_size(); ++i) {
    const TypeDefault& t = out.list_.type_default(i);
    const TextLocation at = root.Child("type_default", i);
    if (!typed.insert(t.case_type()).second) {
      p.Add(at, "case_type", -1, "case type '" + t.case_type() + "' has two defaults");
    }
    const Category* c = out.Find(t.category());
    if (c == nullptr || c->retired()) {
      p.Add(at, "category", -1,
            "the default for " + t.case_type() + ", '" + t.category() + "', is not a " +
                (c == nullptr ? "listed" : "current") + " category");
    }
  }
  if (out.list_.category_size() == 0 && p.empty()) {
    p.Add(root, {}, -1, "no category is listed");
  }
  if (!p.empty()) return Status::InvalidArgument(p.Joined());
  return out;
}

Result<Categories> Categories::LoadFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return Load(path, text);
}

const Category* Categories::Find(std::string_view code) const {
  const auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &list_.category(it->second);
}

const CategoryGroup* Categories::GroupOf(std::string_view code) const {
  const Category* c = Find(code);
  if (c == nullptr) return nullptr;
  const auto it = group_by_code_.find(c->group());
  return it == group_by_code_.end() ? nullptr : &list_.group(it->second);
}

Status Categories::CheckUsable(std::string_view code, std::string_view field) const {
  return Check(code, field, /*retired_ok=*/false);
}

Status Categories::CheckRecorded(std::string_view code, std::string_view field) const {
  return Check(code, field, /*retired_ok=*/true);
}

Status Categories::Check(std::string_view code, std::string_view field, bool retired_ok) const {
  const std::string given(code);
  if (empty()) {
    return Status::FailedPrecondition(
               "no categories are loaded (categories.textproto is missing or broken); "
               "tell the admin",
               "系統未載入類別清單（categories.textproto 缺失或有錯）；請通知系統管理員")
        .WithField(std::string(field));
  }
  if (code.empty()) {
    return Status::InvalidArgument("say which category the work is", "請選擇類別")
        .WithField(std::string(field));
  }
  const Category* c = Find(code);
  if (c == nullptr) {
    return Status::InvalidArgument("unknown category '" + given + "'",
                                   "沒有類別「" + given + "」")
        .WithField(std::string(field));
  }
  if (c->retired() && !retired_ok) {
    return Status::InvalidArgument(
               "category '" + given + "' (" + c->label().en() + ") is retired; choose a current one",
               "類別「" + c->label().zh_hant() + "」已停用，請選擇現行類別")
        .WithField(std::string(field));
  }
  return Status::Ok();
}

Status Categories::CheckKeeps(const std::map<std::string, int64_t>& used) const {
  std::string missing;
  for (const auto& [code, count] : used) {
    if (code.empty() || Find(code) != nullptr) continue;
    if (!missing.empty()) missing += ", ";
    missing += "'" + code + "' (" + std::to_string(count) + " record" + (count == 1 ? "" : "s") + ")";
  }
  if (missing.empty()) return Status::Ok();
  return Status::FailedPrecondition(
      path_ + ": categories in use are missing: " + missing +
      "; a category in use is never deleted: put it back with `retired: true`");
}

std::string Categories::DefaultFor(std::string_view case_type) const {
  for (const TypeDefault& t : list_.type_default()) {
    if (t.case_type() == case_type) return t.category();
  }
  return "";
}

std::string Categories::LabelOf(std::string_view code, Lang lang) const {
  const Category* c = Find(code);
  return c == nullptr ? std::string(code) : Localize(c->label(), lang, code);
}

namespace {

struct ChannelWords {
  Channel channel;
  std::string_view en;
  std::string_view zh;
};
constexpr ChannelWords kChannels[] = {{CHANNEL_PHONE, "phone", "電話"},
                                      {CHANNEL_VISIT, "visit", "到訪"},
                                      {CHANNEL_CHAT, "chat", "網上對話"},
                                      {CHANNEL_EMAIL, "email", "電郵"}};

}  // namespace

std::string ChannelName(Channel channel, Lang lang) {
  for (const ChannelWords& w : kChannels) {
    if (w.channel == channel) return std::string(lang == Lang::kEn ? w.en : w.zh);
  }
  return "-";
}

std::optional<Channel> ParseChannel(std::string_view text) {
  for (const ChannelWords& w : kChannels) {
    if (text == w.en || text == w.zh) return w.channel;
  }
  return std::nullopt;
}

}  // namespace model
