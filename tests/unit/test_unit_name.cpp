#include <doctest/doctest.h>

#include <fnmatch.h>

#include <algorithm>
#include <string>
#include <vector>

#include "compile/compile.hpp"
#include "compile/unit_name.hpp"

using namespace formation;

namespace {

// systemd matches ListUnitsByPatterns globs with fnmatch(3), flags 0.
bool matches_any(const std::vector<std::string>& globs, const std::string& unit) {
    for (const auto& g : globs)
        if (::fnmatch(g.c_str(), unit.c_str(), 0) == 0) return true;
    return false;
}

}  // namespace

TEST_CASE("unit names: what each maker writes") {
    CHECK(app_target_name("shop") == "shop.target");
    CHECK(slice_name("shop") == "shop.slice");
    CHECK(slice_name("my-shop") == "my\\x2dshop.slice");
    CHECK(template_name("shop", "web") == "shop-web@.service");
    CHECK(socket_template_name("shop", "web") == "shop-web@.socket");
    CHECK(instance_name("shop", "web", 1) == "shop-web@1.service");
    CHECK(socket_name("shop", "web", 12) == "shop-web@12.socket");
    CHECK(socket_name_in_template("shop", "web") == "shop-web@%i.socket");
    CHECK(socket_of("shop-web@2.service") == "shop-web@2.socket");
    CHECK(socket_of("shop.target").empty());
    CHECK(dropin_path("shop-web@1.service") == "shop-web@1.service.d/50-formation.conf");
    CHECK(enable_link_path("multi-user.target", "shop") == "multi-user.target.wants/shop.target");
    CHECK(enable_link_target("shop") == "../shop.target");
    CHECK(run_unit_name("shop", "web", "1a2b") == "shop-web-run-1a2b.service");
    CHECK(instance_glob("shop") == "shop-*@*.service");
    CHECK(socket_glob("shop") == "shop-*@*.socket");
    CHECK(app_unit_globs("shop") == std::vector<std::string>{"shop-*@*.service", "shop-*@*.socket", "shop-*.socket",
                                                          "shop-*-socket.service", "shop.target", "shop-health.service",
                                                             "shop-*.timer"});
}

TEST_CASE("unit names: made, then parsed back") {
    const std::vector<std::string> apps{"a", "shop", "my-shop", "a-b-c", std::string(64, 'x')};
    const std::vector<std::string> types{"w", "web", "x_y", "web2", std::string(64, 'y')};
    for (const auto& app : apps)
        for (const auto& type : types)
            for (int index : {1, 2, 10, 999, 1000}) {
                const std::string service = instance_name(app, type, index);
                auto ref = parse_instance(app, service);
                REQUIRE(ref);
                CHECK(ref->unit == service);
                CHECK(ref->type == type);
                CHECK(ref->index == index);

                auto sock = parse_socket(app, socket_name(app, type, index));
                REQUIRE(sock);
                CHECK(sock->unit == service);
                CHECK(sock->type == type);
                CHECK(sock->index == index);
                CHECK(socket_of(service) == socket_name(app, type, index));

                CHECK(parse_template(app, template_name(app, type)) == type);
                CHECK(parse_template(app, socket_template_name(app, type)) == type);
                // Each kind parses as itself only.
                CHECK_FALSE(parse_socket(app, service));
                CHECK_FALSE(parse_instance(app, socket_name(app, type, index)));
                CHECK_FALSE(parse_template(app, service));
                CHECK_FALSE(parse_instance(app, template_name(app, type)));
                // Whatever the app makes, its globs find.
                for (const auto& unit : {service, socket_name(app, type, index), app_target_name(app)})
                    CHECK(matches_any(app_unit_globs(app), unit));
            }
}

TEST_CASE("unit names: another app's units never parse as ours") {
    // "shop" and "shop-x": the globs of shop match shop-x's units, the parsers do not.
    const std::vector<std::string> types{"web", "x", "worker"};
    for (const auto& type : types) {
        const std::string theirs = instance_name("shop-x", type, 1);
        CHECK(matches_any(app_unit_globs("shop"), theirs));
        CHECK_FALSE(parse_instance("shop", theirs));
        CHECK_FALSE(parse_socket("shop", socket_name("shop-x", type, 1)));
        CHECK_FALSE(parse_template("shop", template_name("shop-x", type)));
        CHECK_FALSE(parse_template("shop", socket_template_name("shop-x", type)));
        // And the other way round: "shop-x" is no prefix of shop's names.
        CHECK_FALSE(parse_instance("shop-x", instance_name("shop", type, 1)));
    }
    // App "shop-x" with type "web" against app "shop" with type "x": different names.
    CHECK(instance_name("shop-x", "web", 1) != instance_name("shop", "x", 1));
    CHECK_FALSE(parse_instance("shop", "shopx-web@1.service"));
    CHECK_FALSE(parse_instance("sho", "shop-web@1.service"));
    CHECK_FALSE(parse_instance("shop", "shop.target"));
    CHECK_FALSE(parse_instance("shop", "shop.slice"));
    // A `formation run` unit is no instance.
    CHECK_FALSE(parse_instance("shop", run_unit_name("shop", "web", "1a2b")));
    CHECK_FALSE(parse_instance("shop", run_unit_name("shop", "web", "1@2")));
}

TEST_CASE("unit names: hostile names parse as nothing") {
    for (const char* unit : {
             "", "shop", "shop-", "shop-@1.service", "shop-web@.service", "shop-web@0.service",
             "shop-web@01.service", "shop-web@-1.service", "shop-web@+1.service", "shop-web@1x.service",
             "shop-web@1234567.service", "shop-web@1.service.d", "shop-web@1.servicex", "shop-web@1.Service",
             "shop-Web@1.service", "shop-9web@1.service", "shop-_web@1.service", "shop-we b@1.service",
             "shop-web@1@1.service", "shop-web@@1.service", "shop-w-eb@1.service", "shop-web@1 .service",
             "shop-web@1.service\n", "shop--web@1.service", "shop-web@1.socket.service",
             "shop-web/x@1.service", "../shop-web@1.service", "shop-web@%i.service", "shop-*@*.service",
             "xshop-web@1.service", ".service", "@1.service", "-web@1.service",
         }) {
        CAPTURE(unit);
        CHECK_FALSE(parse_instance("shop", unit));
    }
    const std::string too_long_type = "shop-" + std::string(65, 'y') + "@1.service";
    CHECK_FALSE(parse_instance("shop", too_long_type));
    CHECK_FALSE(parse_socket("shop", "shop-web@1.service"));
    CHECK_FALSE(parse_socket("shop", "shop-web@.socket"));
    CHECK_FALSE(parse_socket("shop", "shop-web@1.socket.d"));
    CHECK_FALSE(parse_template("shop", "shop-web@.service.d"));
    CHECK_FALSE(parse_template("shop", "shop-web@x.service"));
    CHECK_FALSE(parse_template("shop", "shop-web@.target"));
    CHECK_FALSE(parse_template("shop", "shop-@.service"));
    // An embedded NUL is a different name, not a truncated one.
    const std::string with_nul("shop-web@1\0.service", 19);
    CHECK_FALSE(parse_instance("shop", with_nul));
}

TEST_CASE("unit names: every name compile() writes is one unit_name makes") {
    Formation f;
    f.app = "my-shop";
    ProcessType web;
    web.name = "web";
    web.command = {true, "run web", {}};
    web.count = 2;
    web.port = 5000;
    web.socket = SocketMode::per_instance;
    ProcessType worker;
    worker.name = "worker";
    worker.command = {true, "run worker", {}};
    worker.count = 1;
    f.processes = {web, worker};
    UnitSet set = compile(f);
    std::vector<std::string> expected{
        app_target_name(f.app),
        slice_name(f.app),
        template_name(f.app, "web"),
        socket_template_name(f.app, "web"),
        template_name(f.app, "worker"),
        dropin_path(instance_name(f.app, "web", 1)),
        dropin_path(instance_name(f.app, "web", 2)),
        dropin_path(socket_name(f.app, "web", 1)),
        dropin_path(socket_name(f.app, "web", 2)),
        enable_link_path("multi-user.target", f.app),
    };
    std::sort(expected.begin(), expected.end());
    std::vector<std::string> paths;
    for (const auto& file : set.files) paths.push_back(file.path);
    CHECK(paths == expected);
    CHECK(set.app_target == app_target_name(f.app));
    for (const auto& i : set.instances) {
        CHECK(parse_instance(f.app, i.unit));
        if (!i.socket.empty()) CHECK(parse_socket(f.app, i.socket)->unit == i.unit);
    }
    const UnitFile* tpl = set.find(template_name(f.app, "web"));
    REQUIRE(tpl);
    CHECK(tpl->content.find("PartOf=" + app_target_name(f.app) + "\n") != std::string::npos);
    CHECK(tpl->content.find("Requires=" + socket_name_in_template(f.app, "web") + "\n") != std::string::npos);
    const UnitFile* link = set.find(enable_link_path("multi-user.target", f.app));
    REQUIRE(link);
    CHECK(link->content == enable_link_target(f.app));
}

TEST_CASE("unit names: a shared socket and its holder are the app's, and no instance's") {
    CHECK(shared_socket_name("shop", "web") == "shop-web.socket");
    CHECK(shared_holder_name("shop", "web") == "shop-web-socket.service");
    CHECK(parse_shared_socket("shop", "shop-web.socket") == std::optional<std::string>("web"));
    CHECK_FALSE(parse_shared_socket("shop", "shop-web@1.socket"));
    CHECK_FALSE(parse_shared_socket("shop", "shop-x-web.socket"));  // app shop-x's
    CHECK_FALSE(parse_shared_socket("shop", "shop.socket"));
    CHECK_FALSE(parse_shared_socket("shop", "shop-.socket"));
    CHECK_FALSE(parse_shared_socket("shop", "shop-web.service"));
    CHECK(parse_shared_socket("shop-x", "shop-x-web.socket") == std::optional<std::string>("web"));
    // A type named "health": its socket's holder is not the app's watcher.
    CHECK(shared_holder_name("shop", "health") != health_unit_name("shop"));
    CHECK_FALSE(parse_instance("shop", shared_holder_name("shop", "web")));
    CHECK_FALSE(parse_socket("shop", shared_socket_name("shop", "web")));
    CHECK(parse_shared_holder("shop", "shop-web-socket.service") == std::optional<std::string>("web"));
    CHECK_FALSE(parse_shared_holder("shop", "shop-x-web-socket.service"));  // app shop-x's
    CHECK_FALSE(parse_shared_holder("shop", "shop-web.service"));
    CHECK_FALSE(parse_shared_holder("shop", "shop-web@1-socket.service"));
    CHECK_FALSE(parse_shared_holder("shop", "shop-health.service"));
}

TEST_CASE("on_failure handlers: made and parsed, never taken for an instance or another app's") {
    CHECK(on_failure_template_name("shop", "web") == "shop-web.on-failure@.service");
    CHECK(on_failure_in_template("shop", "web") == "shop-web.on-failure@%i.service");
    CHECK(parse_on_failure("shop", "shop-web.on-failure@3.service") == std::optional<std::string>("web"));
    CHECK(parse_on_failure("shop", "shop-web.on-failure@.service") == std::optional<std::string>("web"));
    CHECK_FALSE(parse_on_failure("shop", "shop-web@3.service"));
    CHECK_FALSE(parse_on_failure("shop", "shop-x-web.on-failure@3.service"));  // app shop-x
    CHECK_FALSE(parse_on_failure("shop", "shop-web.on-failure@x.service"));
    CHECK_FALSE(parse_instance("shop", "shop-web.on-failure@3.service"));
    CHECK(on_failure_glob("shop") == "shop-*.on-failure@*.service");
}
