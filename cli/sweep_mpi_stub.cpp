// The default build has no MPI: under mpirun every rank would run the whole sweep, so it refuses instead.
#include <cstdio>

#include "sweep_mpi.hpp"

namespace spiketail {

int command_sweep_mpi(const Options&) {
    std::fprintf(stderr,
                 "spiketail: started by mpirun, but this spiketail was built without MPI: build it with "
                 "-DSPIKETAIL_MPI=ON and run spiketail-mpi, or run the sweep in shards (--shard K/N)\n");
    return k_exit_input;
}

}  // namespace spiketail
