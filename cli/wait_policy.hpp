// OpenMP's idle threads, made to sleep instead of spin when the user has not chosen.
//
// libgomp's default (OMP_WAIT_POLICY unset) spins idle threads for a while before sleeping. Two spiketail
// processes on the same cores then burn each other's time: 1,000 tiny runs took 0.08 s alone and 2.4 s each as
// a pair (issue 9); with "passive" 0.17 s. At the study's scale passive costs nothing measurable alone and is
// faster on a loaded machine (bench/NOTES.md). libgomp reads the variable when it is loaded, before main(), so
// the only way to set it for this process is to set it and exec the program again.
#pragma once

namespace spiketail {

// When OMP_WAIT_POLICY is unset: sets it to "passive" and re-executes /proc/self/exe with the same arguments
// (returns only if that is impossible, leaving the default policy). Does nothing when the user has set it.
void ensure_passive_wait_policy(char** argv);

}  // namespace spiketail
