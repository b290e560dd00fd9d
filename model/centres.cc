#include "model/centres.h"

namespace model {

std::vector<Centre> NetworkCentres() {
  struct Row {
    const char* code;
    const char* zh;
    const char* en;
  };
  static constexpr Row kRows[] = {
      {"GZ", "廣州", "Guangzhou"}, {"SZ", "深圳", "Shenzhen"}, {"DG", "東莞", "Dongguan"},
      {"HZ", "惠州", "Huizhou"},   {"ZS", "中山", "Zhongshan"}, {"FJ", "福建（廈門）", "Fujian (Xiamen)"},
  };
  std::vector<Centre> out;
  for (const Row& r : kRows) {
    Centre c;
    c.set_code(r.code);
    c.mutable_label()->set_zh_hant(r.zh);
    c.mutable_label()->set_en(r.en);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace model
