// spiketail sweep under mpirun (a build with -DSPIKETAIL_MPI=ON): rank 0 hands the runs out one at a time,
// largest predicted cost first (sweep_shard.hpp), to every rank including itself (a worker thread beside its
// dispatcher), gathers the entries and writes the one document, byte for byte the single-machine sweep's.
// docs/cluster.md, "MPI".
#pragma once
#include "arguments.hpp"

namespace spiketail {

// True when the process was started by mpirun/srun (OpenMPI's, PMI's or PMIx's rank variables are set).
bool launched_by_mpirun();

// The sweep over the ranks; a build without MPI says so and returns k_exit_input.
int command_sweep_mpi(const Options& options);

}  // namespace spiketail
