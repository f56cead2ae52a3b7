#pragma once
// Running a subcommand as one rank of an MPI job. `simulate` and `mobilize` split their trials
// over the ranks when the program was built with MPI (CMake: CASCADE_WITH_MPI, on when MPI is
// found) and launched by mpirun / srun; every other start runs as the one process, without
// touching MPI. Only rank 0 shows progress and writes output.
#include <functional>

#include "cascade/distributed.hpp"

namespace cascade::cli {

/// Runs body with the job's communicator: MPI_COMM_WORLD (MPI_Init before, MPI_Finalize after)
/// when launched by an MPI launcher, else a SingleProcess; returns body's exit code. In a job of
/// several ranks an exception on any rank prints its one-line error on stderr (rank 0 at once,
/// others after a short grace, so that an error every rank hits is printed once) and ends the
/// whole job with MPI_Abort and main()'s exit code, so no rank waits forever in a collective.
int run_distributed(const std::function<int(const Communicator&)>& body);

/// Whether this rank draws the progress bar: rank 0 only, not --quiet, and stderr a terminal
/// (Progress::wanted). In a job of several ranks the launcher pipes stderr, so there the bar is
/// drawn only when CASCADE_PROGRESS=1 (interactive mpirun); batch logs stay clean.
bool show_progress(bool quiet, const Communicator& comm);

}  // namespace cascade::cli
