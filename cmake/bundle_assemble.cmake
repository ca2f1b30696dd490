# Fills the GPU bundle folder (cmake/bundle.cmake's `bundle` target runs this):
#   cmake -DOUT=dir -DEXECUTABLES=a;b -DLIBS=path=soname;... -DSTRIP=strip -DPACK=pack_cm_panel
#         -DCM_DIR=csv-folder -DSOURCE_DIR=repo -DARCHS=... -DCOMPILERS=... -P bundle_assemble.cmake
# The folder is rebuilt from scratch each time, so a file removed from the build cannot linger.
cmake_minimum_required(VERSION 3.24)
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")

foreach(exe ${EXECUTABLES})
  get_filename_component(name "${exe}" NAME)
  file(COPY_FILE "${exe}" "${OUT}/${name}")
  execute_process(COMMAND "${STRIP}" --strip-all "${OUT}/${name}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "bundle: strip failed on ${name}")
  endif()
endforeach()

foreach(lib ${LIBS})
  string(REGEX MATCH "^(.*)=([^=]+)$" _ "${lib}")
  file(COPY_FILE "${CMAKE_MATCH_1}" "${OUT}/${CMAKE_MATCH_2}")  # under its SONAME
  execute_process(COMMAND "${STRIP}" --strip-unneeded "${OUT}/${CMAKE_MATCH_2}")
endforeach()

if(NOT EXISTS "${CM_DIR}/Power_result.csv")
  message(FATAL_ERROR "bundle: the real panel is needed and ${CM_DIR} has no Power_result.csv "
                      "(set -DTURNPOINT_CM_DIR to the carbon_monitor_china_daily folder)")
endif()
execute_process(COMMAND "${PACK}" "${CM_DIR}" "${OUT}/cm_china_daily.tpp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bundle: packing the real panel failed")
endif()

execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short HEAD
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(dirty)
  set(commit "${commit} + uncommitted changes")
endif()
file(GLOB files RELATIVE "${OUT}" "${OUT}/*")
list(SORT files)
set(text "turnpoint GPU bundle (bench/README.md; run it with bench/gpu/run.sh)\n")
string(APPEND text "commit: ${commit}\ncompilers: ${COMPILERS}\nCUDA architectures: ${ARCHS}\n")
string(APPEND text "real panel: ${CM_DIR} -> cm_china_daily.tpp\nfiles:\n")
foreach(f ${files})
  file(SIZE "${OUT}/${f}" size)
  string(APPEND text "  ${f} ${size}\n")
endforeach()
file(WRITE "${OUT}/MANIFEST.txt" "${text}")
