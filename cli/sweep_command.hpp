// spiketail sweep: the grid of CONFIG (or its --shard K/N, minus the runs --resume keeps) on a pool of --jobs
// threads, saved to --out as runs finish; under mpirun, in a build with SPIKETAIL_MPI, spread over the ranks.
#pragma once
#include "arguments.hpp"

namespace spiketail {

int command_sweep(const Options& options);

}  // namespace spiketail
