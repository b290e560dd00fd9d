// The six assistance centres of the network, created by `dispatch init`.
#ifndef MODEL_CENTRES_H_
#define MODEL_CENTRES_H_

#include <vector>

#include "model/proto/directory.pb.h"

namespace model {

// GZ, SZ, DG, HZ, ZS, FJ with their names in both languages.
std::vector<Centre> NetworkCentres();

}  // namespace model

#endif  // MODEL_CENTRES_H_
