// formation metrics: the Prometheus text of what status sees, and the one
// HTTP request formation-metrics@.service answers.
#include <doctest/doctest.h>

#include <string>

#include "app/metrics.hpp"
#include "app/metrics_http.hpp"
#include "compile/compile.hpp"
#include "formation/parse.hpp"

using namespace formation;
using namespace formation::app;

namespace {

systemd::UnitState unit(std::string name, std::string active, std::string sub, std::string result = "success") {
    systemd::UnitState s;
    s.name = std::move(name);
    s.load_state = "loaded";
    s.active_state = std::move(active);
    s.sub_state = std::move(sub);
    s.result = std::move(result);
    return s;
}

// The lines of `text` that start with `prefix`, joined.
std::string lines_of(const std::string& text, const std::string& prefix) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        std::string line = text.substr(at, end - at);
        if (line.rfind(prefix, 0) == 0) out += line + "\n";
        at = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
}

}  // namespace

TEST_CASE("metrics: every family once, instances with their labels, desired counts and scheduled runs") {
    const std::uint64_t now = 1'700'000'000'000'000;
    Formation f = parse_formation(R"(app = "shop"
[process.web]
command = "/bin/web"
count = 2
port = 5000
health = "/up"
[process.report]
command = "/bin/report"
schedule = "daily"
)", "shop.toml");
    UnitSet set = compile(f);
    StatusObservation seen;
    auto web1 = unit("shop-web@1.service", "active", "running");
    web1.main_pid = 10;
    web1.active_enter_usec = now - 90'500'000;
    web1.memory_current = 1048576;
    web1.cpu_usage_nsec = 2'500'000'001;
    web1.n_restarts = 3;
    auto web2 = unit("shop-web@2.service", "failed", "failed", "exit-code");
    auto timer = unit("shop-report.timer", "active", "waiting");
    timer.next_elapse_usec = now + 3'600'000'000;
    auto run = unit("shop-report.service", "failed", "failed", "exit-code");
    run.exec_main_start_usec = now - 60'000'000;
    run.exec_main_exit_usec = now - 58'750'000;
    run.exec_main_status = 1;
    seen.services = {web1, web2, timer, run};
    seen.health = {{"shop-web@1.service", true, 0, "GET /up on port 5000: HTTP 200 OK", 5, 0, "", 0}};
    std::vector<AppMetrics> apps{{build_status_view(f, set, seen, now), "alpha"}};
    std::string text = render_metrics(apps, now);

    const std::string web1_labels = R"({app="shop",type="web",instance="web.1",host="alpha"})";
    const std::string web2_labels = R"({app="shop",type="web",instance="web.2",host="alpha"})";
    CHECK(lines_of(text, "formation_instance_up{") ==
          "formation_instance_up" + web1_labels + " 1\nformation_instance_up" + web2_labels + " 0\n");
    CHECK(lines_of(text, "formation_instance_ready{") ==
          "formation_instance_ready" + web1_labels + " 1\nformation_instance_ready" + web2_labels + " 0\n");
    // Only what systemd knows: web.2 has no CPU or memory figure.
    CHECK(lines_of(text, "formation_instance_cpu_seconds_total{") ==
          "formation_instance_cpu_seconds_total" + web1_labels + " 2.500000001\n");
    CHECK(lines_of(text, "formation_instance_memory_bytes{") == "formation_instance_memory_bytes" + web1_labels + " 1048576\n");
    CHECK(lines_of(text, "formation_instance_restarts_total{") ==
          "formation_instance_restarts_total" + web1_labels + " 3\nformation_instance_restarts_total" + web2_labels + " 0\n");
    CHECK(lines_of(text, "formation_instance_start_time_seconds{") ==
          "formation_instance_start_time_seconds" + web1_labels + " 1699999909.5\n");
    CHECK(lines_of(text, "formation_type_desired_instances{") ==
          "formation_type_desired_instances{app=\"shop\",type=\"web\",host=\"alpha\"} 2\n");
    const std::string report = R"({app="shop",type="report",host="alpha"})";
    CHECK(lines_of(text, "formation_scheduled_running{") == "formation_scheduled_running" + report + " 0\n");
    CHECK(lines_of(text, "formation_scheduled_last_run_timestamp_seconds{") ==
          "formation_scheduled_last_run_timestamp_seconds" + report + " 1699999940\n");
    CHECK(lines_of(text, "formation_scheduled_last_run_success{") == "formation_scheduled_last_run_success" + report + " 0\n");
    CHECK(lines_of(text, "formation_scheduled_last_run_duration_seconds{") ==
          "formation_scheduled_last_run_duration_seconds" + report + " 1.25\n");
    CHECK(lines_of(text, "formation_scheduled_next_run_timestamp_seconds{") ==
          "formation_scheduled_next_run_timestamp_seconds" + report + " 1700003600\n");

    // Each family has one HELP and one TYPE line, before its samples.
    for (const char* family : {"formation_instance_up", "formation_instance_cpu_seconds_total", "formation_scheduled_running"}) {
        std::string name = family;
        CHECK(lines_of(text, "# HELP " + name + " ").size() > 0);
        CHECK(text.find("# TYPE " + name + " ") < text.find(name + "{"));
    }
    CHECK(lines_of(text, "# TYPE formation_instance_cpu_seconds_total ") == "# TYPE formation_instance_cpu_seconds_total counter\n");
    CHECK(lines_of(text, "# TYPE formation_instance_memory_bytes ") == "# TYPE formation_instance_memory_bytes gauge\n");

    // An unhealthy instance is up but not ready.
    seen.health[0].healthy = false;
    std::string sick = render_metrics({{build_status_view(f, set, seen, now), "alpha"}}, now);
    CHECK(lines_of(sick, "formation_instance_ready{") ==
          "formation_instance_ready" + web1_labels + " 0\nformation_instance_ready" + web2_labels + " 0\n");
    CHECK(lines_of(sick, "formation_instance_up{") == lines_of(text, "formation_instance_up{"));
}

TEST_CASE("metrics: label values are escaped; no apps gives the families and no samples") {
    Formation f = parse_formation("app = \"shop\"\n[process.web]\ncommand = \"/bin/web\"\n", "shop.toml");
    UnitSet set = compile(f);
    StatusObservation seen;
    std::string text = render_metrics({{build_status_view(f, set, seen, 1), "a\"b\\c\nd"}}, 1);
    CHECK(text.find(R"(host="a\"b\\c\nd")") != std::string::npos);
    CHECK(lines_of(text, "formation_instance_up{") ==
          "formation_instance_up{app=\"shop\",type=\"web\",instance=\"web.1\",host=\"a\\\"b\\\\c\\nd\"} 0\n");

    std::string none = render_metrics({}, 1);
    CHECK(lines_of(none, "formation_").empty());
    CHECK(lines_of(none, "# TYPE ").size() > 0);
}

TEST_CASE("metrics over HTTP: one request head, one answer") {
    CHECK_FALSE(request_head_end("GET /metrics HTTP/1.1\r\nHost: x\r\n"));
    CHECK(request_head_end("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nbody") == 34);
    CHECK(request_head_end("GET / HTTP/1.0\n\n") == 16);

    HttpAnswer m = answer_request("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(m.status == 200);
    CHECK(m.metrics);
    CHECK_FALSE(m.head_only);
    CHECK(answer_request("GET /metrics?x=1 HTTP/1.0\r\n\r\n").metrics);
    HttpAnswer head = answer_request("HEAD /metrics HTTP/1.1\r\n\r\n");
    CHECK(head.metrics);
    CHECK(head.head_only);
    CHECK(answer_request("GET / HTTP/1.1\r\n\r\n").status == 200);
    CHECK_FALSE(answer_request("GET / HTTP/1.1\r\n\r\n").metrics);
    CHECK(answer_request("GET /metricsx HTTP/1.1\r\n\r\n").status == 404);
    CHECK(answer_request("GET /../etc/passwd HTTP/1.1\r\n\r\n").status == 404);
    CHECK(answer_request("POST /metrics HTTP/1.1\r\n\r\n").status == 405);
    CHECK(answer_request("DELETE / HTTP/1.1\r\n\r\n").status == 405);
    for (const char* bad : {"", "\r\n\r\n", "GET /metrics\r\n\r\n", "GET  /metrics HTTP/1.1\r\n\r\n",
                            "GET /metrics HTTP/2.0\r\n\r\n", "GET /metrics HTTP/1.1 x\r\n\r\n", "G\x01T / HTTP/1.1\r\n\r\n",
                            "GET /a\x7f HTTP/1.1\r\n\r\n", "SSH-2.0-OpenSSH_9.2\r\n\r\n"})
        CHECK_MESSAGE(answer_request(bad).status == 400, bad);

    std::string ok = http_response(m, "x 1\n");
    CHECK(ok == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 4\r\n"
                "Connection: close\r\n\r\nx 1\n");
    CHECK(http_response(head, "x 1\n") ==
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 4\r\n"
          "Connection: close\r\n\r\n");
    HttpAnswer post = answer_request("POST /metrics HTTP/1.1\r\n\r\n");
    CHECK(http_response(post, answer_body(post)) ==
          "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 23\r\n"
          "Allow: GET, HEAD\r\nConnection: close\r\n\r\n405 Method Not Allowed\n");
}
