// Which GPU a process takes when several processes share a node (`mpirun` with one rank per
// GPU): local rank r takes device r mod (the devices it sees), chosen before any CUDA work,
// so that the ranks spread over the node's GPUs instead of all landing on device 0. Where a
// site gives each rank its own device (Slurm --gpus-per-task=1, CUDA_VISIBLE_DEVICES), the
// rank sees one device and takes it.
#pragma once

namespace turnpoint {

// The device that local rank `local_rank` takes among `device_count`; -1 when there is none.
int device_for_local_rank(int local_rank, int device_count);

// How many CUDA devices this process sees: 0 in a build without the CUDA backend, or
// where there is no driver or no device.
int cuda_device_count();

// Makes device_for_local_rank(local_rank, cuda_device_count()) the current device of the
// calling thread (the CUDA runtime's current device is per host thread: the backend makes
// its CUDA calls from the thread that runs the command, not from OpenMP workers) and returns
// it; -1, nothing done, where there is no device. Since CUDA 12 this also creates the
// device's context. Throws cuda_error when the device cannot be made current.
int use_cuda_device_for(int local_rank);

}  // namespace turnpoint
