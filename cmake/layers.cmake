# The layers of turnpoint: which folder may include (and link) which. This table is the
# one place the allowed edges are written; cmake/check_layers.cmake checks every #include
# of the tree against it (at configure time and as the ctest `layers`), and each folder's
# CMakeLists links exactly the targets of the folders listed here.
#
#   kernels  <-  host/core  <-  datasets  <-  host/<feature>  <-  tools, bench, tests, python
#
# turnpoint_layer(FOLDER TARGET DEPENDS...): FOLDER may include its own headers and those
# of the DEPENDS folders (and, transitively, of theirs). Nothing may include tools/, bench/,
# tests/ or python/.
set(TURNPOINT_LAYERS "")
macro(turnpoint_layer folder target)
  list(APPEND TURNPOINT_LAYERS ${folder})
  set(TURNPOINT_LAYER_TARGET_${folder} ${target})
  set(TURNPOINT_LAYER_DEPS_${folder} ${ARGN})
endmacro()

turnpoint_layer(kernels        turnpoint_kernels)
turnpoint_layer(host/core      turnpoint_core      kernels)
turnpoint_layer(datasets       turnpoint_datasets  host/core)
turnpoint_layer(host/io        turnpoint_io        host/core datasets)
turnpoint_layer(host/catalogue turnpoint_catalogue host/core)
turnpoint_layer(host/explain   turnpoint_explain   host/core)
turnpoint_layer(host/sweep     turnpoint_sweep     host/io host/explain)
turnpoint_layer(host/report    turnpoint_report    host/catalogue host/io)
turnpoint_layer(host/eval      turnpoint_eval      host/sweep datasets)
turnpoint_layer(host/cluster   turnpoint_cluster   host/io host/sweep)  # + MPI (its mpi_*.cpp) with TURNPOINT_MPI
# The consumers: they may use every layer above, and nothing uses them.
turnpoint_layer(tools          turnpoint           host/cluster host/eval host/report host/sweep host/explain host/catalogue host/io)
turnpoint_layer(bench          -                   host/cluster host/eval host/report host/sweep host/explain host/catalogue host/io)
turnpoint_layer(tests          -                   host/cluster host/eval host/report host/sweep host/explain host/catalogue host/io bench)
# The Python extension (python/src/, built with TURNPOINT_PYTHON=ON): links what it binds.
turnpoint_layer(python         -                   host/report host/explain host/catalogue host/io)

# Every folder FOLDER may include: itself and the transitive closure of its DEPENDS.
function(turnpoint_layer_closure folder out)
  set(seen ${folder})
  set(todo ${TURNPOINT_LAYER_DEPS_${folder}})
  while(todo)
    list(POP_FRONT todo d)
    if(NOT d IN_LIST seen)
      list(APPEND seen ${d})
      list(APPEND todo ${TURNPOINT_LAYER_DEPS_${d}})
    endif()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

# The library targets a source needs, from its own #include lines and those of the test
# and bench helper headers it includes: "host/io/..." needs turnpoint_io and so on (tests
# and benches link what they include).
function(turnpoint_targets_for_includes src out)
  set(targets "")
  set(todo ${src})
  set(seen "")
  while(todo)
    list(POP_FRONT todo file)
    if(file IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${file})
    file(STRINGS ${file} lines REGEX "^#include \"")
    foreach(line ${lines})
      if(line MATCHES "^#include \"((tests|bench)/[^\"]+)\"")
        list(APPEND todo ${PROJECT_SOURCE_DIR}/${CMAKE_MATCH_1})
      endif()
      foreach(folder ${TURNPOINT_LAYERS})
        set(t ${TURNPOINT_LAYER_TARGET_${folder}})
        if(line MATCHES "^#include \"${folder}/" AND NOT t STREQUAL "-" AND NOT t STREQUAL "turnpoint")
          list(APPEND targets ${t})
        endif()
      endforeach()
    endforeach()
  endwhile()
  list(REMOVE_DUPLICATES targets)
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# The library targets a test or bench source needs (turnpoint_targets_for_includes) in
# `out`, and in `buildable` whether every one of them is built: a source that needs a
# library this build leaves out (the portable no-HDF5 build) is left out too.
function(turnpoint_consumer_libs src out buildable)
  turnpoint_targets_for_includes(${src} libs)
  set(ok ON)
  foreach(lib ${libs})
    if(NOT TARGET ${lib})
      set(ok OFF)
    endif()
  endforeach()
  set(${out} ${libs} PARENT_SCOPE)
  set(${buildable} ${ok} PARENT_SCOPE)
endfunction()

# One static library per layer folder, from the folder's *.cpp, linked to the targets of
# the folders the table lets it use (and to the outside libraries given after LIBS).
#   turnpoint_layer_library(host/io LIBS HDF5::HDF5)
function(turnpoint_layer_library folder)
  cmake_parse_arguments(arg "" "" "LIBS" ${ARGN})
  set(target ${TURNPOINT_LAYER_TARGET_${folder}})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.cpp)
  # mpi_*.cpp use MPI and the parallel HDF5: only the TURNPOINT_MPI build compiles them.
  if(NOT TURNPOINT_MPI)
    list(FILTER sources EXCLUDE REGEX "/mpi_[^/]*\\.cpp$")
  endif()
  add_library(${target} STATIC ${sources})
  foreach(dep ${TURNPOINT_LAYER_DEPS_${folder}})
    target_link_libraries(${target} PUBLIC ${TURNPOINT_LAYER_TARGET_${dep}})
  endforeach()
  target_link_libraries(${target} PUBLIC ${arg_LIBS})
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${TURNPOINT_WARNINGS}>)
endfunction()
