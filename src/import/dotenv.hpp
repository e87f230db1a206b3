// Reading .env files as foreman and honcho do, for `formation import`. Pure:
// the caller reads the files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "formation/error.hpp"  // Diagnostic, EnvEntry (formation/model.hpp)
#include "import/dialect.hpp"

namespace formation {

struct EnvFile {
    std::vector<EnvEntry> entries;     // first-assignment order; a later assignment replaces the value
    std::vector<Diagnostic> warnings;  // lines read differently from `dialect`'s tool, or ignored
};

// Throws FormationError with every error found (an unterminated quote that
// the dialect's tool refuses too, a name or value formation cannot carry),
// positioned in `file`.
EnvFile parse_dotenv(std::string_view text, const std::string& file, Dialect dialect);

// Several files, as `-e a.env,b.env`: a later file's value wins.
std::vector<EnvEntry> merge_env(const std::vector<EnvFile>& files);

namespace detail {
// The two readers, without the final checks of parse_dotenv.
void read_dotenv_foreman(std::string_view text, const std::string& file, EnvFile& out,
                         std::vector<Diagnostic>& errors);
void read_dotenv_honcho(std::string_view text, const std::string& file, EnvFile& out,
                        std::vector<Diagnostic>& errors);
void set_env(EnvFile& out, std::string name, std::string value, SourcePos where);
}  // namespace detail

}  // namespace formation
