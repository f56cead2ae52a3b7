// run_distributed(): MPI start-up, shutdown and error handling for the subcommands that split
// their trials over ranks. MPI appears only here (and in cascade/mpi_communicator.hpp), behind
// CASCADE_HAVE_MPI, which tools/CMakeLists.txt defines when it links MPI.
#include "distributed.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <string>
#include <thread>
#include <utility>

#include "cascade/error.hpp"
#include "cli.hpp"
#include "progress.hpp"

#ifdef CASCADE_HAVE_MPI
#include "cascade/mpi_communicator.hpp"
#endif

namespace cascade::cli {
namespace {

#ifdef CASCADE_HAVE_MPI
// mpirun (Open MPI), Hydra (MPICH) and srun (PMI-2 / PMIx) all leave one of these.
bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

// The exit code and message main() gives an exception (see main.cpp).
std::pair<int, std::string> describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const UsageError& e) {
    return {2, e.what()};
  } catch (const CLI::ParseError& e) {
    return {2, e.what()};
  } catch (const InvalidArgument& e) {
    return {2, e.what()};
  } catch (const std::bad_alloc&) {
    return {1, "out of memory"};
  } catch (const std::exception& e) {
    return {1, e.what()};
  } catch (...) {
    return {1, "unknown error"};
  }
}

[[noreturn]] void abort_job(int rank, std::exception_ptr error) {
  auto [code, message] = describe(error);
  for (char& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  // An error every rank hits (a bad flag, a missing file) is printed by rank 0, whose abort
  // ends the other ranks while they wait here.
  if (rank != 0) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::fflush(stdout);
  if (rank == 0)
    std::fprintf(stderr, "cascade: error: %s\n", message.c_str());
  else
    std::fprintf(stderr, "cascade: error: rank %d: %s\n", rank, message.c_str());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // not reached
}
#endif

}  // namespace

bool show_progress(bool quiet, const Communicator& comm) {
  if (quiet || comm.rank() != 0) return false;
  const char* forced = std::getenv("CASCADE_PROGRESS");
  if (comm.size() > 1 && forced != nullptr && std::string(forced) == "1") return true;
  return Progress::wanted(quiet);
}

int run_distributed(const std::function<int(const Communicator&)>& body) {
#ifdef CASCADE_HAVE_MPI
  if (launched_by_mpi()) {
    int provided = 0;  // only the main thread calls MPI
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    int code = 0;
    {
      const MpiCommunicator world(MPI_COMM_WORLD);
      try {
        code = body(world);
      } catch (...) {
        if (world.size() > 1) abort_job(world.rank(), std::current_exception());
        MPI_Finalize();  // one rank: main() reports the error as usual
        throw;
      }
    }
    MPI_Finalize();
    return code;
  }
#else
  // Without MPI every rank would run every trial and write the same files: say so instead.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const char* size = std::getenv(name);
    if (size != nullptr && std::string(size) != "1")
      throw UsageError(
          "this cascade was built without MPI: run it without mpirun, or rebuild with MPI "
          "installed (CMake option CASCADE_WITH_MPI, on by default)");
  }
#endif
  return body(SingleProcess{});
}

}  // namespace cascade::cli
