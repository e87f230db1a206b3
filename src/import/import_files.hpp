// `formation import PROCFILE`'s work on files: read the Procfile and its
// .env files, choose the app name, convert (import.hpp), and write
// formation.toml and APP.env without writing through or replacing a link.
// What is said on the way comes back typed, in order, for the verb to print.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "import/import.hpp"

namespace formation {

struct ImportArgs {
    std::string procfile;
    std::vector<std::string> env;  // -e, repeated or FILE,FILE
    std::string scale;             // -m
    std::string output;            // -o; empty: standard output
    std::string dialect = "foreman";
    std::string app;  // --app; else the global -a; else from the directory
    bool force = false;
};

struct ImportInput {
    ImportOptions options;
    std::string procfile_text;
    std::vector<std::string> env_texts;  // of options.env_files
    bool app_from_directory = false;     // options.app was made from the Procfile's directory name
    std::filesystem::path output;        // absolute; empty: standard output
    std::filesystem::path secrets;       // where APP.env goes
};

// Reads the files and decides the app name and paths. Throws app::Error
// (exit_usage) for a file that cannot be read or an app name that is not one.
ImportInput read_import(const ImportArgs& args, const std::string& global_app);

// Diagnostics in the order they arise. `procfile_source`: those positioned
// in the Procfile show its line; the lines of env files are never shown
// (they may hold secrets: their diagnostics name the variable and line).
struct ImportNotice {
    std::vector<Diagnostic> diagnostics;
    std::string severity;  // "error", "warning", "note"
    bool procfile_source = true;
};

struct Conversion {
    std::vector<ImportNotice> notices;
    std::optional<ImportResult> result;  // nullopt: refused (the errors are in notices)
};

Conversion convert_import(const ImportInput& in);

// Throws app::Error when the result cannot go where asked: secrets without
// -o (exit_usage), -o naming where the secrets go (exit_usage), or an output
// that is a link, exists without --force, or is not a regular file
// (exit_failed). Checked for both files before either is written.
void check_outputs(const ImportInput& in, const ImportResult& r, const ImportArgs& args);

// The secrets first (mode 0600), so a formation file never names an env
// file that is missing; then the formation (0644). Each checked again as it
// is put in place.
void write_secrets(const ImportInput& in, const ImportResult& r, bool force);
void write_formation(const ImportInput& in, const ImportResult& r, bool force);

}  // namespace formation
