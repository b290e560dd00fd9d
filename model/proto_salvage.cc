#include "model/proto_salvage.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>

#include "model/text_check.h"

namespace model {
namespace {

namespace pb = google::protobuf;

// A message type as it was, but with every string a bytes field and every map
// a list of entries (map keys cannot be bytes). The wire format is the same,
// so these parse what proto3's UTF-8 check refuses.
void Loosen(pb::DescriptorProto& m) {
  m.mutable_options()->clear_map_entry();
  for (auto& f : *m.mutable_field()) {
    if (f.type() == pb::FieldDescriptorProto::TYPE_STRING) {
      f.set_type(pb::FieldDescriptorProto::TYPE_BYTES);
    }
    f.clear_options();
  }
  for (auto& nested : *m.mutable_nested_type()) Loosen(nested);
}

class LoosePool {
 public:
  // The loosened twin of `type`, or null when it cannot be built.
  const pb::Message* Prototype(const pb::Descriptor* type) {
    std::lock_guard<std::mutex> lock(mu_);
    if (Add(type->file()) == nullptr) return nullptr;
    const pb::Descriptor* loose = pool_.FindMessageTypeByName(type->full_name());
    return loose == nullptr ? nullptr : factory_.GetPrototype(loose);
  }

 private:
  const pb::FileDescriptor* Add(const pb::FileDescriptor* file) {
    if (const auto* done = pool_.FindFileByName(file->name())) return done;
    for (int i = 0; i < file->dependency_count(); ++i) {
      if (Add(file->dependency(i)) == nullptr) return nullptr;
    }
    pb::FileDescriptorProto proto;
    file->CopyTo(&proto);
    proto.clear_options();
    proto.clear_extension();
    for (auto& m : *proto.mutable_message_type()) Loosen(m);
    return pool_.BuildFile(proto);
  }

  std::mutex mu_;
  pb::DescriptorPool pool_;
  pb::DynamicMessageFactory factory_{&pool_};
};

LoosePool& Pool() {
  static LoosePool* pool = new LoosePool();  // never destroyed: used until exit
  return *pool;
}

// Mends, in the loosened `m`, every field that is a string in the real type.
void Mend(pb::Message& m) {
  const pb::Reflection* r = m.GetReflection();
  const pb::Descriptor* real =
      pb::DescriptorPool::generated_pool()->FindMessageTypeByName(m.GetDescriptor()->full_name());
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const pb::FieldDescriptor* f : fields) {
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) Mend(*r->MutableRepeatedMessage(&m, f, i));
      } else {
        Mend(*r->MutableMessage(&m, f));
      }
      continue;
    }
    const pb::FieldDescriptor* was = real ? real->FindFieldByNumber(f->number()) : nullptr;
    if (was == nullptr || was->type() != pb::FieldDescriptor::TYPE_STRING) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        r->SetRepeatedString(&m, f, i, ToValidUtf8(r->GetRepeatedString(m, f, i)));
      }
    } else {
      r->SetString(&m, f, ToValidUtf8(r->GetString(m, f)));
    }
  }
}

}  // namespace

ParseOutcome ParseSalvaging(std::string_view bytes, pb::Message& out) {
  if (out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return ParseOutcome::kParsed;
  const pb::Message* prototype = Pool().Prototype(out.GetDescriptor());
  if (prototype == nullptr) return ParseOutcome::kDamaged;
  std::unique_ptr<pb::Message> loose(prototype->New());
  if (!loose->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return ParseOutcome::kDamaged;
  }
  Mend(*loose);
  if (!out.ParseFromString(loose->SerializeAsString())) return ParseOutcome::kDamaged;
  return ParseOutcome::kSalvaged;
}

}  // namespace model
