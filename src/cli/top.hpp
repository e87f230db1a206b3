// formation top: the loop that samples and draws, shared by this host's
// top (top.cpp) and the one across [hosts] (hosts_top.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/top_view.hpp"

namespace CLI {
class App;
}

namespace formation::cli {

struct TopOptions {
    std::string app;
    double interval = 1.0;  // seconds between frames
    int iterations = 0;     // frames before it exits by itself; 0: until q
};

// The options as given to the `top` subcommand (for hosts_top.cpp).
TopOptions top_options(const CLI::App& verb);

// On a terminal: a frame every interval until q (or `iterations`
// frames). Otherwise: one frame (or `iterations`), the CPU % measured over
// one interval. Exit 1 when the last frame had a failing instance or a
// host that did not answer, as status.
int run_top(const std::string& app, const TopOptions& o, const std::function<std::vector<app::TopSample>()>& sample);

}  // namespace formation::cli
