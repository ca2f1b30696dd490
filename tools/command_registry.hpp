// Subcommands of the `turnpoint` executable register themselves here, one file each
// (tools/cmd_<name>.cpp), so adding one never edits a shared list.
#pragma once
#include <vector>

#include <CLI/CLI.hpp>

namespace turnpoint::cli {

using CommandSetup = void (*)(CLI::App& root);

inline std::vector<CommandSetup>& command_registry() {
  static std::vector<CommandSetup> setups;
  return setups;
}

struct RegisterCommand {
  explicit RegisterCommand(CommandSetup setup) { command_registry().push_back(setup); }
};

}  // namespace turnpoint::cli
