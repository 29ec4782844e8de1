#include "wait_policy.hpp"

#include <unistd.h>

#include <cstdlib>

namespace spiketail {

void ensure_passive_wait_policy(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
    if (::setenv("OMP_WAIT_POLICY", "passive", 1) != 0) return;
    ::execv("/proc/self/exe", argv);  // returns only on failure: then run with the default policy
}

}  // namespace spiketail
