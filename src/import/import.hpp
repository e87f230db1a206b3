// Procfile + .env → formation.toml, for `formation import`. Pure: the verb
// reads the files, picks the paths, and writes the results.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import/dialect.hpp"
#include "import/dotenv.hpp"
#include "formation/error.hpp"
#include "import/procfile.hpp"

namespace formation {

struct ImportOptions {
    Dialect dialect = Dialect::foreman;
    std::string app;                     // a valid app name
    std::string procfile;                // the Procfile as the user named it (comments, positions)
    std::vector<std::string> env_files;  // the .env files read, as named (comments)
    std::string working_directory;       // absolute: the Procfile's directory, where foreman runs processes
    std::optional<std::string> scale;    // -m, as written ("web=2,worker=1", "all=2")
    std::string secrets_path;            // absolute: where the secrets env file will be written
};

struct ImportResult {
    std::string formation;                  // the formation.toml text; passes `formation check`
    std::string secrets;                    // the secrets env-file text; empty when nothing is secret
    std::vector<std::string> secret_names;  // what went into it, sorted
    std::vector<Diagnostic> warnings;       // positioned in the Procfile
    std::vector<Diagnostic> notes;          // the release phase, renamed types
};

// Throws FormationError: type names formation cannot take (positioned in the
// Procfile), a bad -m (file "-m"), a PORT that is not a port (in its env
// file), ports past 65535 or overlapping, or a result `formation check`
// would refuse (an app name that makes one of systemd's own units, such as
// "default" or "network"; a path formation cannot take).
ImportResult import_formation(const Procfile& procfile, const std::vector<EnvEntry>& env,
                              const ImportOptions& options);

// A directory's name made into an app name: lowercase, every run of other
// characters one "-", starting with a letter. nullopt when nothing is left.
std::optional<std::string> app_name_from_directory(std::string_view name);

// Warnings for a Procfile command that /bin/sh may run differently from bash
// -lc (foreman's systemd export) or from an interactive shell with a
// version manager; positioned at the construct.
std::vector<Diagnostic> shell_warnings(const ProcfileEntry& entry, const std::string& file);

// TOML string and systemd EnvironmentFile= line for a value, exact for every
// byte (the value must be UTF-8 without NUL).
std::string toml_string(std::string_view s);
std::string env_file_line(std::string_view name, std::string_view value);

}  // namespace formation
