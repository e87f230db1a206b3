#include "cli/status_cells.hpp"

namespace formation::cli {

namespace {

std::string format_startup(std::uint64_t usec) {
    if (usec < 10'000'000) {
        std::uint64_t ms = (usec + 500) / 1000;
        return ms < 1000 ? std::to_string(ms) + "ms" : std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + "s";
    }
    return format_duration(usec);
}

// The port as the instance has it: its process's own when read; else the
// formation's, marked "?" while the process runs (it may differ).
Cell port_cell(const app::InstanceStatus& i) {
    if (!i.port) return null_cell();
    auto port = static_cast<std::uint64_t>(*i.port);
    if (i.port_source == app::PortSource::formation && i.pid) return number_cell(port, std::to_string(port) + "?");
    return number_cell(port);
}

// "active/listening" (no service holds it now), "active/running", "failed/failed".
Cell socket_cell(const app::InstanceStatus& i) {
    if (!i.socket) return null_cell();
    const auto& s = *i.socket;
    Color c = s.active_state == "active" ? Color::green : s.active_state == "failed" ? Color::red : Color::yellow;
    return text_cell(s.active_state + "/" + s.sub_state, c);
}

}  // namespace

Cell state_cell(const app::InstanceStatus& i) {
    Color c = Color::yellow;
    if (app::service_failing(i)) c = Color::red;
    else if (i.active_state == "active" && i.sub_state == "running") c = Color::green;
    return text_cell(i.active_state + "/" + i.sub_state, c);
}



Cell health_cell(const app::InstanceStatus& i) {
    std::string word = app::health_word(i);
    if (word.empty()) return null_cell();
    return text_cell(word, word == "healthy" ? Color::green : word == "unhealthy" ? Color::red : Color::none);
}

InstanceCells cells(const app::InstanceStatus& i) {
    return {text_cell(i.unit),
            state_cell(i),
            i.pid ? number_cell(i.pid) : number_cell(0, "-"),
            app::is_running(i) ? number_cell(i.uptime_usec, format_duration(i.uptime_usec)) : number_cell(0, "-"),
            i.startup_usec ? number_cell(*i.startup_usec, format_startup(*i.startup_usec)) : null_cell(),
            i.memory_bytes ? number_cell(*i.memory_bytes, format_bytes(*i.memory_bytes)) : null_cell(),
            number_cell(i.restarts),
            port_cell(i),
            socket_cell(i),
            health_cell(i),
            text_cell(app::note(i))};
}

// A shared socket's row under its type's heading: its unit, state and port.
InstanceCells shared_cells(const app::TypeStatus& t) {
    const auto& s = *t.shared_socket;
    Color c = s.active_state == "active" ? Color::green : s.active_state == "failed" ? Color::red : Color::yellow;
    return {text_cell(s.unit),
            text_cell(s.active_state + "/" + s.sub_state, c),
            number_cell(0, "-"),
            number_cell(0, "-"),
            null_cell(),
            null_cell(),
            null_cell(),
            s.port ? number_cell(static_cast<std::uint64_t>(*s.port)) : null_cell(),
            null_cell(),
            null_cell(),
            text_cell(app::shared_note(t))};
}

// A scheduled type's two rows: its timer (when it runs next) and its run
// (the last or current one).
InstanceCells timer_cells(const app::ScheduledStatus& s) {
    Color c = s.timer_active_state == "active" ? Color::green : s.timer_active_state == "failed" ? Color::red : Color::yellow;
    return {text_cell(s.timer),
            text_cell(s.timer_active_state + "/" + s.timer_sub_state, c),
            number_cell(0, "-"),
            number_cell(0, "-"),
            null_cell(),
            null_cell(),
            null_cell(),
            null_cell(),
            null_cell(),
            null_cell(),
            text_cell(app::timer_note(s))};
}

InstanceCells run_cells(const app::ScheduledStatus& s) {
    const bool running = app::scheduled_running(s);
    Color c = s.active_state == "failed" ? Color::red : running ? Color::green : Color::none;
    const std::string state = s.active_state.empty() ? "inactive/dead" : s.active_state + "/" + s.sub_state;
    const std::uint64_t up = running && s.now_usec > s.last_start_usec ? s.now_usec - s.last_start_usec : 0;
    return {text_cell(s.service),
            text_cell(state, c),
            s.pid ? number_cell(s.pid) : number_cell(0, "-"),
            running ? number_cell(up, format_duration(up)) : number_cell(0, "-"),
            null_cell(),
            running && s.memory_bytes ? number_cell(*s.memory_bytes, format_bytes(*s.memory_bytes)) : null_cell(),
            null_cell(),
            null_cell(),
            null_cell(),
            null_cell(),
            text_cell(app::run_note(s))};
}

}  // namespace formation::cli
