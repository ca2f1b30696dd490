// Embeds catalogue/builtin.jsonl into the library at build time with the assembler's
// .incbin, so `turnpoint join` without --catalogue works from a copied binary too.
// The path comes from TURNPOINT_SOURCE_DIR (defined for turnpoint_host). The test
// BuiltinCatalogue.MatchesTheFileAndIsValid (tests/catalogue/catalogue_test.cpp) fails if the
// embedded copy is stale: the compiler's dependency scan does not see .incbin, so touch
// this file after editing the catalogue (ccache never caches a file using .incbin).
#include <string>

#include "host/catalogue/catalogue.hpp"

#ifndef TURNPOINT_SOURCE_DIR
#error "TURNPOINT_SOURCE_DIR must name the source tree (set by host/CMakeLists.txt)"
#endif

__asm__(".section .rodata\n"
        ".global turnpoint_builtin_catalogue_begin\n"
        ".type turnpoint_builtin_catalogue_begin, @object\n"
        ".balign 16\n"
        "turnpoint_builtin_catalogue_begin:\n"
        ".incbin \"" TURNPOINT_SOURCE_DIR "/catalogue/builtin.jsonl\"\n"
        ".global turnpoint_builtin_catalogue_end\n"
        ".type turnpoint_builtin_catalogue_end, @object\n"
        "turnpoint_builtin_catalogue_end:\n"
        ".byte 0\n"
        ".previous\n");

extern "C" const char turnpoint_builtin_catalogue_begin[];
extern "C" const char turnpoint_builtin_catalogue_end[];

namespace turnpoint {

const std::string& builtin_catalogue_text() {
  static const std::string text(turnpoint_builtin_catalogue_begin,
                                turnpoint_builtin_catalogue_end);
  return text;
}

}  // namespace turnpoint
