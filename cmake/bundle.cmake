# The GPU bundle (issue 16, bench/README.md): with -DTURNPOINT_BUNDLE=ON (`cmake --preset
# gpu-bundle`) the target `bundle` fills <build>/bundle with the GPU tests and benches as
# self-contained executables, the real panel as a small binary file and a manifest, and checks
# the result (bench/gpu/check_bundle.py). The bundle is what a session carries to a lent GPU
# machine, which has the NVIDIA driver, nvcc and Python but none of Debian's libraries, and
# takes at most 64 MiB: so static libgomp, header-only fmt, the static CUDA runtime, SASS for
# sm_90 only, compressed for size (H100/H200; -DCMAKE_CUDA_ARCHITECTURES="80-real;90-real" for more), stripped, and
# Google Benchmark's shared library (Debian ships no static one) beside the benches, found
# through RUNPATH=$ORIGIN.

# Before the CUDA and package detection of the top-level CMakeLists.
macro(turnpoint_bundle_settings)
  if(TURNPOINT_WITH_HDF5)
    message(STATUS "turnpoint: TURNPOINT_BUNDLE=ON builds without HDF5 (TURNPOINT_WITH_HDF5=OFF)")
    set(TURNPOINT_WITH_HDF5 OFF CACHE BOOL "" FORCE)
  endif()
  set(TURNPOINT_CUDA ON CACHE STRING "" FORCE)  # a bundle without CUDA code is useless
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 90-real)  # SASS only: no PTX for the driver to compile
  endif()
  # Compress the device code for size (nvcc >= 12.8; the driver unpacks it when the module
  # loads): 2.5x smaller SASS, measured on classify_cuda.cu (781 KB -> 312 KB object).
  add_compile_options($<$<COMPILE_LANGUAGE:CUDA>:-compress-mode=size>)
  # Static OpenMP runtime: FindOpenMP keeps a library it is given in its cache variable.
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libgomp.a
                  OUTPUT_VARIABLE turnpoint_libgomp OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT IS_ABSOLUTE "${turnpoint_libgomp}" OR NOT EXISTS "${turnpoint_libgomp}")
    message(FATAL_ERROR "TURNPOINT_BUNDLE: the compiler has no static libgomp.a (${turnpoint_libgomp})")
  endif()
  set(OpenMP_gomp_LIBRARY "${turnpoint_libgomp}" CACHE FILEPATH "static libgomp for the bundle" FORCE)
  # The CUDA files take minutes to compile: reuse earlier builds where ccache is installed.
  find_program(TURNPOINT_CCACHE ccache)
  if(TURNPOINT_CCACHE)
    foreach(lang CXX CUDA)
      if(NOT DEFINED CMAKE_${lang}_COMPILER_LAUNCHER)
        set(CMAKE_${lang}_COMPILER_LAUNCHER ${TURNPOINT_CCACHE})
      endif()
    endforeach()
  endif()
  set(TURNPOINT_CM_DIR "${PROJECT_SOURCE_DIR}/../shared/datasets/carbon_monitor_china_daily"
      CACHE PATH "the Carbon Monitor China CSV folder packed into the bundle")
endmacro()

# The imported location and SONAME of a shared library target (first configuration that has one).
function(turnpoint_imported_so target out_path out_soname)
  get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
  set(path "")
  set(soname "")
  foreach(suffix "" ${configs})
    set(s "")
    if(suffix)
      set(s "_${suffix}")
    endif()
    get_target_property(p ${target} IMPORTED_LOCATION${s})
    get_target_property(n ${target} IMPORTED_SONAME${s})
    if(p AND NOT path)
      set(path "${p}")
      set(soname "${n}")
    endif()
  endforeach()
  if(NOT path OR NOT soname)
    message(FATAL_ERROR "TURNPOINT_BUNDLE: cannot find the shared library and SONAME of ${target}")
  endif()
  set(${out_path} "${path}" PARENT_SCOPE)
  set(${out_soname} "${soname}" PARENT_SCOPE)
endfunction()

# After tests/ and bench/: the `bundle` target.
function(turnpoint_bundle_target)
  set(executables "")
  set(exe_targets "")
  foreach(dir tests bench)
    get_property(targets DIRECTORY ${PROJECT_SOURCE_DIR}/${dir} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(t ${targets})
      get_target_property(type ${t} TYPE)
      if(t MATCHES "^cuda_" AND type STREQUAL "EXECUTABLE")
        list(APPEND exe_targets ${t})
        list(APPEND executables "$<TARGET_FILE:${t}>")
        if(dir STREQUAL "bench")
          # Google Benchmark's .so travels beside the benches.
          set_target_properties(${t} PROPERTIES BUILD_RPATH "\$ORIGIN" SKIP_BUILD_RPATH OFF)
        endif()
      endif()
    endforeach()
  endforeach()
  if(NOT exe_targets)
    message(FATAL_ERROR "TURNPOINT_BUNDLE: no cuda_* test or bench target (is the CUDA backend on?)")
  endif()
  find_package(benchmark REQUIRED)  # its imported target is scoped to bench/: look again here
  turnpoint_imported_so(benchmark::benchmark bench_so bench_soname)
  string(REGEX REPLACE "-(real|virtual)" "" archs "${CMAKE_CUDA_ARCHITECTURES}")
  string(REPLACE ";" "," archs "${archs}")
  set(out ${PROJECT_BINARY_DIR}/bundle)
  add_custom_target(bundle ALL
    COMMAND ${CMAKE_COMMAND}
            "-DOUT=${out}"
            "-DEXECUTABLES=${executables}"
            "-DLIBS=${bench_so}=${bench_soname}"
            "-DSTRIP=${CMAKE_STRIP}"
            "-DPACK=$<TARGET_FILE:pack_cm_panel>"
            "-DCM_DIR=${TURNPOINT_CM_DIR}"
            "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
            "-DARCHS=${CMAKE_CUDA_ARCHITECTURES}"
            "-DCOMPILERS=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}, nvcc ${CMAKE_CUDA_COMPILER_VERSION}"
            -P ${PROJECT_SOURCE_DIR}/cmake/bundle_assemble.cmake
    COMMAND python3 ${PROJECT_SOURCE_DIR}/bench/gpu/check_bundle.py ${out} --archs ${archs}
    DEPENDS ${exe_targets} pack_cm_panel
    COMMENT "Assembling and checking the GPU bundle in ${out}"
    VERBATIM)
endfunction()
