// Reaching another host: the system's ssh (the user's ssh config, agent
// and known_hosts apply), running formation there. Commands are run as
// child processes with pipes; nothing here knows formations beyond a Host.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "formation/model.hpp"

namespace formation::remote {

// `s` as one word for a POSIX shell: 'it'\''s'. ssh hands the remote
// command to the remote user's shell as one string, so every word is quoted.
std::string shell_quote(std::string_view s);

// ssh [options] [-p PORT] -- ADDRESS 'formation' 'ARG'…: BatchMode (never
// a password prompt), a connect timeout and keep-alives (a host that
// vanishes fails its command instead of hanging); the user's ssh config
// decides the rest. $FORMATION_SSH names the ssh program; the remote
// program is $FORMATION_REMOTE_PROGRAM, else "formation" from its PATH.
std::vector<std::string> ssh_argv(const Host& h, const std::vector<std::string>& formation_args);

struct Command {
    std::vector<std::string> argv;
    std::string input;  // written to its stdin, which is then closed
};

struct Result {
    int exit_code = -1;  // 128 + N when killed by signal N; -1 when it could not start
    std::string out;     // stdout (unless streamed), stderr
    std::string err;
};

// Each stdout line of command `i` as it comes, without its newline.
using LineSink = std::function<void(std::size_t i, std::string_view line)>;

// Runs every command at once and waits for all of them. With `on_line`,
// stdout is handed over line by line instead of collected; `on_end(i)`
// when command i's stdout ends.
std::vector<Result> run_all(const std::vector<Command>& commands, const LineSink& on_line = {},
                            const std::function<void(std::size_t i)>& on_end = {});

// ssh's own failure (exit 255): its last stderr line, e.g. "ssh: connect
// to host 10.0.0.12 port 22: Connection refused".
bool unreachable(const Result& r);
std::string last_line(std::string_view text);

}  // namespace formation::remote
