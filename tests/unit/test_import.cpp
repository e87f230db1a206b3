// Procfile + env → formation: counts (-m), ports, the release phase, secrets,
// names, and values that survive TOML and systemd's env-file reader. Each
// result is parsed back with the formation parser, as `formation check` does.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "import/import.hpp"
#include "import/servers.hpp"
#include "formation/parse.hpp"

using namespace formation;

namespace {

struct Imported {
    ImportResult result;
    Formation formation;
};

ImportOptions options(Dialect d = Dialect::foreman, std::optional<std::string> scale = std::nullopt) {
    ImportOptions o;
    o.dialect = d;
    o.app = "shop";
    o.procfile = "Procfile";
    o.env_files = {".env"};
    o.working_directory = "/srv/shop";
    o.scale = std::move(scale);
    o.secrets_path = "/srv/shop/shop.env";
    return o;
}

Imported run(const std::string& procfile, const std::string& env, const ImportOptions& o) {
    Procfile pf = parse_procfile(procfile, "Procfile", o.dialect);
    auto e = merge_env({parse_dotenv(env, ".env", o.dialect)});
    ImportResult r = import_formation(pf, e, o);
    Formation f = parse_formation(r.formation, "formation.toml");
    CHECK(lint_formation(f).empty());
    return {std::move(r), std::move(f)};
}

const ProcessType& type(const Formation& f, std::string_view name) {
    for (const auto& p : f.processes)
        if (p.name == name) return p;
    FAIL("no process type " << name);
    return f.processes.front();
}

std::string env_of(const ProcessType& p, std::string_view name) {
    for (const auto& [k, v] : p.env)
        if (k == name) return v;
    return "<unset>";
}

std::string first_error(const std::string& procfile, const std::string& env, const ImportOptions& o) {
    try {
        run(procfile, env, o);
    } catch (const FormationError& e) {
        const auto& d = e.diagnostics().front();
        return d.where.file + ":" + std::to_string(d.where.line) + ": " + d.message;
    }
    return "no error";
}

// foreman's spec/spec_helper.rb write_procfile(): foo_bar and foo-bar are
// two types there, one name in formation.
const std::string alpha_bravo = "alpha: ./alpha\n\nbravo:\t./bravo\nfoo_bar:\t./foo_bar\nfoo-bar:\t./foo-bar\n";

}  // namespace

TEST_CASE("-m: foreman engine_spec 'handles concurrency': alpha=2 runs alpha twice and bravo not at all") {
    auto i = run("alpha: ./alpha\nbravo: ./bravo\n", "", options(Dialect::foreman, "alpha=2"));
    CHECK(type(i.formation, "alpha").count == 2);
    CHECK(type(i.formation, "bravo").count == 0);
}

TEST_CASE("-m: default all=1, all=N for the types not named, whitespace ignored") {
    const std::string three = "alpha: ./alpha\nbravo: ./bravo\nfoo_bar: ./foo_bar\n";
    auto d = run(three, "", options());
    for (const auto& p : d.formation.processes) CHECK(p.count == 1);
    auto a = run(three, "", options(Dialect::foreman, " all = 3 , bravo=0"));
    CHECK(type(a.formation, "alpha").count == 3);
    CHECK(type(a.formation, "bravo").count == 0);
    CHECK(type(a.formation, "foo_bar").count == 3);
}

TEST_CASE("-m in honcho's dialect: types not named keep 1 (honcho command.py _parse_concurrency)") {
    auto i = run("foo: a\nbar: b\n", "", options(Dialect::honcho, "foo=3"));
    CHECK(type(i.formation, "foo").count == 3);
    CHECK(type(i.formation, "bar").count == 1);
}

TEST_CASE("-m: a type by its Procfile name or its formation name") {
    auto a = run("web-app: a\nworker: b\n", "", options(Dialect::foreman, "web-app=2"));
    CHECK(type(a.formation, "web_app").count == 2);
    CHECK(type(a.formation, "worker").count == 0);
    auto b = run("web-app: a\nworker: b\n", "", options(Dialect::foreman, "web_app=3,worker=1"));
    CHECK(type(b.formation, "web_app").count == 3);
    CHECK(type(b.formation, "worker").count == 1);
}

TEST_CASE("-m errors") {
    CHECK(first_error("web: a\n", "", options(Dialect::foreman, "wbe=2")) ==
          "-m:0: no process type \"wbe\" in the Procfile (it has web)");
    CHECK(first_error("web: a\n", "", options(Dialect::foreman, "web=two")).find("is not TYPE=N") !=
          std::string::npos);
    CHECK(first_error("web: a\n", "", options(Dialect::foreman, "web=1001")).find("is not TYPE=N") !=
          std::string::npos);
    CHECK(first_error("web: a\n", "", options(Dialect::foreman, "web=1,,")).find("is not TYPE=N") !=
          std::string::npos);
}

TEST_CASE("ports: base + 100 per type in Procfile order, instance i at base + i - 1") {
    // honcho tests/test_environ.py test_expand_processes_port_concurrency (base 4000)
    auto h = run("foo: some command\nbar: another command\n", "PORT=4000\n", options(Dialect::honcho, "foo=3,bar=2"));
    CHECK(type(h.formation, "foo").port == 4000);
    CHECK(type(h.formation, "bar").port == 4100);
    // honcho test_expand_processes_port_from_env: PORT 8000 → 8000, 8100
    auto e = run("foo: some command\nbar: another command\n", "PORT=8000\n", options(Dialect::honcho));
    CHECK(type(e.formation, "foo").port == 8000);
    CHECK(type(e.formation, "bar").port == 8100);
    // foreman engine_spec 'should set port from .env if specified'
    auto f = run("alpha: a\n", "PORT=9000\n", options());
    CHECK(type(f.formation, "alpha").port == 9000);
    CHECK(env_of(type(f.formation, "alpha"), "PORT") == "<unset>");  // each instance gets its own
    // foreman's default base, and the order of the Procfile, not of names
    auto d = run("web: a\nclock: b\nworker: c\n", "", options());
    CHECK(type(d.formation, "web").port == 5000);
    CHECK(type(d.formation, "clock").port == 5100);
    CHECK(type(d.formation, "worker").port == 5200);
}

TEST_CASE("ports that formation would refuse are errors") {
    CHECK(first_error("web: a\n", "PORT=http\n", options()) ==
          ".env:1: PORT must be a port number from 1 to 65535: the first process's port");
    CHECK(first_error("web: a\nworker: b\n", "", options(Dialect::foreman, "web=101,worker=1"))
              .find("overlap") != std::string::npos);
    CHECK(first_error("web: a\nworker: b\n", "PORT=65500\n", options()).find("past 65535") != std::string::npos);
}

TEST_CASE("release: the top-level release, no process type, no port; a note; the other ports as foreman numbers them") {
    auto i = run("release: rails db:migrate\nweb: puma\nworker: sidekiq\n", "", options(Dialect::foreman, "all=2"));
    REQUIRE(i.formation.release);
    CHECK(i.formation.release->command.line == "rails db:migrate");
    CHECK(std::none_of(i.formation.processes.begin(), i.formation.processes.end(),
                       [](const ProcessType& p) { return p.name == "release"; }));
    CHECK(type(i.formation, "web").port == 5100);
    CHECK(type(i.formation, "web").count == 2);
    REQUIRE(i.result.notes.size() == 1);
    CHECK(i.result.notes[0].where.line == 1);
    CHECK(i.result.notes[0].message.find("release phase") != std::string::npos);
    CHECK(i.result.formation.find("# Heroku's release phase") != std::string::npos);
}

TEST_CASE("secrets go to the env file, never into the formation") {
    const std::string env =
        "RAILS_ENV=production\nSTRIPE_KEY=sk_live_1\nDB_PASS=hunter2\nGITHUB_TOKEN=ghp_x\n"
        "DATABASE_URL=postgres://shop:pa55@db:5432/shop\nREDIS_URL=redis://cache:6379/0\n"
        "SENTRY_DSN=https://abc123@o1.ingest.sentry.io/1\nSecret_Thing='a$b\"c'\n";
    auto i = run("web: puma\n", env, options());
    CHECK(i.result.secret_names ==
          std::vector<std::string>{"DATABASE_URL", "DB_PASS", "GITHUB_TOKEN", "SENTRY_DSN", "STRIPE_KEY", "Secret_Thing"});
    for (const char* value : {"sk_live_1", "hunter2", "ghp_x", "pa55", "abc123", "a$b"})
        CHECK(i.result.formation.find(value) == std::string::npos);
    const auto& web = type(i.formation, "web");
    CHECK(web.env_files == std::vector<std::string>{"/srv/shop/shop.env"});
    CHECK(env_of(web, "RAILS_ENV") == "production");
    CHECK(env_of(web, "REDIS_URL") == "redis://cache:6379/0");
    CHECK(i.result.secrets.find("DATABASE_URL=\"postgres://shop:pa55@db:5432/shop\"\n") != std::string::npos);
    CHECK(i.result.secrets.find("Secret_Thing=\"a\\$b\\\"c\"\n") != std::string::npos);
    auto none = run("web: puma\n", "A=1\n", options());
    CHECK(none.result.secrets.empty());
    CHECK(type(none.formation, "web").env_files.empty());
}

TEST_CASE("values survive TOML and the env file exactly") {
    const std::string env = "A=\"tab\\there\"\nB='quote\" back\\\\slash'\nC=\"multi\nline\"\nD=caf\xc3\xa9 \xe2\x9c\x93\n"
                            "E='it'\"'\"'s'\n";
    auto i = run("web: echo \"$A\" 'x' \\\\ done\n", env, options(Dialect::honcho));
    const auto& web = type(i.formation, "web");
    CHECK(web.command.line == "echo \"$A\" 'x' \\\\ done");
    CHECK(env_of(web, "A") == "tab\there");
    CHECK(env_of(web, "B") == "quote\" back\\\\slash");
    CHECK(env_of(web, "C") == "multi\nline");
    CHECK(env_of(web, "D") == "caf\xc3\xa9\xe2\x9c\x93");  // honcho joins the words
    CHECK(env_of(web, "E") == "it's");
    CHECK(toml_string("a\x01\x7f") == "\"a\\u0001\\u007f\"");
    CHECK(toml_string("say \"hi\"") == "'say \"hi\"'");
    CHECK(toml_string("it's \"x\"") == "\"it's \\\"x\\\"\"");
    CHECK(env_file_line("K", "a\"b\\c`d$e\nf") == "K=\"a\\\"b\\\\c\\`d\\$e\nf\"\n");
}

TEST_CASE("type names: dashes and capitals mapped with a note; impossible names refused at their line") {
    auto i = run("Web-App: a\n", "", options());
    CHECK(type(i.formation, "web_app").command.line == "a");
    REQUIRE(i.result.notes.size() == 1);
    CHECK(i.result.notes[0].message.find("\"Web-App\" is web_app") != std::string::npos);
    CHECK(first_error("web: a\n2nd: b\n", "", options()).starts_with("Procfile:2: process type \"2nd\" cannot"));
    CHECK(first_error(alpha_bravo, "", options()) ==
          "Procfile:5: process types \"foo_bar\" (line 4) and \"foo-bar\" would both be \"foo_bar\" in formation; "
          "rename one");
}

TEST_CASE("shell warnings: bash syntax and version managers, at their column") {
    auto warns = [](const std::string& cmd) {
        ProcfileEntry e{"web", cmd, 3, 6};
        return shell_warnings(e, "Procfile");
    };
    auto w = warns("source env.sh && [[ -f x ]] && rbenv exec puma &>/dev/null");
    REQUIRE(w.size() == 4);
    CHECK(w[0].where.line == 3);
    CHECK(w[0].where.column == 6);
    CHECK(w[0].message.find("\"source\"") != std::string::npos);
    CHECK(w[1].where.column == 6 + 17);
    for (const char* fine : {"bundle exec puma -p $PORT", "sh -c 'x=$(date); echo $((1+2)) ${X:-y} ${Y#p}'",
                             "exec ./bin/server --source-map", "cd /srv && ./run 2>&1 | logger",
                             "npm run start:prod", "python -m http.server $PORT"})
        CHECK_MESSAGE(warns(fine).empty(), fine);
    for (const char* bashism : {"nvm use 18 && node .", "bash -c 'cat <(ls)'", "echo $'a\\n'", "x=(1 2)",
                                "echo ${V/a/b}", "echo ${V:0:3}", "((n++))", "pushd /srv", "~/.asdf/shims/ruby x",
                                ". ~/.profile && run"})
        CHECK_MESSAGE(warns(bashism).size() == 1, bashism);
    // PS is mapped (instance_env), not warned about.
    CHECK(warns("echo $PS").empty());
    CHECK(warns("nvm use 18")[0].message.find("shell = \"/bin/bash -l\"") != std::string::npos);
}

TEST_CASE("app names from directory names") {
    CHECK(app_name_from_directory("shop") == "shop");
    CHECK(app_name_from_directory("My_Shop.v2") == "my-shop-v2");
    CHECK(app_name_from_directory("--api--gateway--") == "api-gateway");
    CHECK(app_name_from_directory("2048-game") == "game");
    CHECK(app_name_from_directory(std::string(100, 'a'))->size() == 64);
    CHECK(!app_name_from_directory("123"));
    CHECK(!app_name_from_directory("/"));
}

TEST_CASE("an app name check refuses is refused by import too, before anything is written") {
    auto refused = [](const std::string& app, const std::string& procfile) {
        ImportOptions o = options();
        o.app = app;
        return first_error(procfile, "", o);
    };
    // A directory named "default" gives the app default.target, the system's own.
    CHECK(refused("default", "web: ./web\n").find("would not pass `formation check`: app \"default\" would make "
                                                   "default.target") != std::string::npos);
    CHECK(refused("network", "web: ./web\n").find("network.target") != std::string::npos);
    CHECK(refused("user-runtime", "dir: ./dir\n").find("user-runtime-dir@.service") != std::string::npos);
    CHECK(refused("shop", "web: ./web\n") == "no error");
}

TEST_CASE("env file warnings name the variable, its line and column, never the value") {
    const std::string secret = "hunter2-\x1b]0;pwned\x07";
    auto warnings_of = [&](const std::string& text, Dialect d) {
        std::string all;
        for (const auto& w : parse_dotenv(text, ".env", d).warnings) {
            CHECK_MESSAGE(w.message.find("hunter2") == std::string::npos, w.message);
            all += std::to_string(w.where.line) + ":" + std::to_string(w.where.column) + " " + w.message + "\n";
        }
        return all;
    };
    std::string f = warnings_of("export  DB_PASSWORD=" + secret + " # x\n" +  // export, " #"
                                    "  TOKEN=" + secret + "\n" +               // indented
                                    "API_KEY = " + secret + "\n" +             // spaces around =
                                    secret + "\n" +                            // a value alone
                                    "Q=\"" + secret + "\" " + secret + "\n",   // text after the quote
                                Dialect::foreman);
    CHECK(f.find("1:9 foreman ignores lines starting with \"export \"; imported as DB_PASSWORD") != std::string::npos);
    CHECK(f.find("1:9 DB_PASSWORD: foreman keeps \" #...\"") != std::string::npos);
    CHECK(f.find("2:3 line ignored, \"TOKEN\" not set: foreman reads NAME=value only at the start") !=
          std::string::npos);
    CHECK(f.find("3:1 line ignored, \"API_KEY\" not set: not NAME=value") != std::string::npos);
    CHECK(f.find("4:1 line ignored: not NAME=value") != std::string::npos);
    CHECK(f.find("5:1 Q: foreman keeps the quotes") != std::string::npos);
    std::string h = warnings_of("export DB_PASSWORD=" + secret + "\n" + "  TOKEN= \n" + secret + "\n" +
                                    "A_SECRET=" + secret + " more\n",
                                Dialect::honcho);
    CHECK(h.find("1:8 honcho ignores lines starting with \"export \"; imported as DB_PASSWORD") != std::string::npos);
    CHECK(h.find("2:3 line ignored, \"TOKEN\" not set: honcho sets nothing for NAME=") != std::string::npos);
    CHECK(h.find("3:1 line ignored: not NAME=value") != std::string::npos);
    CHECK(h.find("4:1 A_SECRET: honcho joins the words") != std::string::npos);
}

TEST_CASE("import: the servers SOCKETS names, recognised in a Procfile command, with their socket-ready line") {
    auto line = [](std::string_view command) {
        auto h = formation::socket_hint(command);
        if (!h) return std::string("none");
        for (const auto& l : h->comment)
            if (l.starts_with("  command = ") || l.starts_with("  server.listen")) return h->server + ": " + l.substr(2);
        return h->server;
    };
    CHECK(line("gunicorn app:app --bind 0.0.0.0:$PORT") == "gunicorn");
    CHECK(line("/usr/bin/gunicorn -w 3 app:app") == "gunicorn");
    CHECK(line("uvicorn main:app --host 0.0.0.0 --port $PORT") == "uvicorn: command = \"uvicorn main:app --fd 3\"");
    CHECK(line("python3 -m uvicorn main:app --host=0.0.0.0 --port=$PORT --workers 2") ==
          "uvicorn: command = \"python3 -m uvicorn main:app --workers 2 --fd 3\"");
    CHECK(line("bundle exec puma -C config/puma.rb") == "puma: command = \"bundle exec puma -C config/puma.rb -b tcp://[::]:$PORT\"");
    CHECK(line("RAILS_ENV=production bundle exec puma -p $PORT -t 5:5") ==
          "puma: command = \"RAILS_ENV=production bundle exec puma -t 5:5 -b tcp://[::]:$PORT\"");
    CHECK(line("puma -b tcp://0.0.0.0:$PORT") == "puma: command = \"puma -b tcp://[::]:$PORT\"");
    CHECK(line("exec node server.js") == "node: server.listen(process.env.LISTEN_FDS ? { fd: 3 } : process.env.PORT)");
    CHECK(line("node") == "none");  // a REPL, not a server
    CHECK(line("bundle exec sidekiq") == "none");
    CHECK(line("python manage.py runserver 0.0.0.0:$PORT") == "none");
    CHECK(line("") == "none");
}
