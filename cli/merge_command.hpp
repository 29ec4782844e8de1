// spiketail merge PART... --out FILE: the parts of one sweep (shards, progress saves, resumed files) into the
// sweep's document (core/io/sweep_parts.hpp does every check).
#pragma once
#include "arguments.hpp"

namespace spiketail {

int command_merge(const Options& options);

}  // namespace spiketail
