// libFuzzer target for the "exec " insertion (issue 19), differential against
// sh -c. The fuzz bytes never run as a script: they steer a small grammar over
// a fixed vocabulary of harmless words (the programs say, show, pf, env, cat
// and tr, linked in a private bin directory that is the whole PATH; variables,
// quotes, substitutions, arithmetic, comments, redirections into relative file
// names), plus at most two inserted operator characters (not "&" nor "|":
// processes running side by side would interleave their stderr differently
// from run to run). Nothing in it can name a path outside the scratch
// directory: no "/", "~" or ".", and no PWD, HOME or PATH expansion.
// Every line that prefix_exec changes runs twice, as written and with exec,
// under /bin/sh (dash) in a scratch directory with a fixed environment, stdin
// /dev/null, a 5 s timeout, file size, CPU and process limits, and as nobody
// when started as root; stdout, stderr, exit status and the files left behind
// must be identical. The raw bytes also go through the inserter alone, to
// check what it may do to any line.
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "compile/shell_line.hpp"

namespace {

// One choice per fuzz byte; 0 once they run out, so every input is a line.
struct Bytes {
    const std::uint8_t* p;
    std::size_t n;
    unsigned pick(unsigned k) {
        if (n == 0) return 0;
        --n;
        return *p++ % k;
    }
    template <std::size_t N>
    const char* one(const char* const (&xs)[N]) {
        return xs[pick(N)];
    }
};

// ---- the grammar ---------------------------------------------------------

std::string fragment(Bytes& b, int depth, bool in_dq);

std::string inner_command(Bytes& b) {
    static const char* const cmds[] = {"say", "pf %s", "show G", "cat in", "echo", "printf '%s|'", "say a b",
                                       "(say sub)", "case x in x) say c;; esac", "tr a b <in", "say \"$G\""};
    static const char* const tails[] = {"", "", "", "; say z", " 2>&1 <in", " 2>&1", " >&2", "; pf '%s' x",
                                        " hi", " \"a  b\" 'c'", " $SP", " >out"};
    return std::string(b.one(cmds)) + b.one(tails);
}

std::string expansion(Bytes& b, int depth, bool in_dq) {
    static const char* const names[] = {"G", "X", "EMPTY", "SP", "CMD", "STAR", "U"};
    static const char* const arith[] = {"1+2", "(1+2)*3", "X*2", "${#G}", "1<<2", "X", "$X+1", "(X)"};
    std::string name = b.one(names);
    switch (b.pick(9)) {
        case 0: return "$" + name;
        case 1: return "${" + name + "}";
        case 2: return "${" + name + ":-" + (depth < 2 ? fragment(b, depth + 1, in_dq) : "d") + "}";
        case 3: return "${" + name + ":+" + (depth < 2 ? fragment(b, depth + 1, in_dq) : "d") + "}";
        case 4: return "${" + name + b.one({"#?", "%?", "#*", "-", "=v", "?"}) + "}";
        case 5: return "${#" + name + "}";
        case 6: return "$(" + inner_command(b) + ")";
        case 7: return "`" + inner_command(b) + "`";
        default: return std::string("$((") + b.one(arith) + "))";
    }
}

std::string fragment(Bytes& b, int depth, bool in_dq) {
    static const char* const literal[] = {"hi", "a", "7", "%s", "x=y", "-n", "*", "o*", "[i]n", "{a,b}",
                                          "\xc3\xa9", "a#b", "=", "--", "}", "{"};
    static const char* const single[] = {"a b", "it;s", "$G", "\\", "\"", "}", ")", "`", "#x", "", "a\nb",
                                         "$(say x)", "*"};
    static const char* const dq_text[] = {"a b", "it's", "\\\"", "\\$G", "\\\\", "}", ")", "#", ";|&", "*",
                                          "\\n", ""};
    static const char* const escaped[] = {"\\ ", "\\'", "\\\"", "\\$", "\\`", "\\;", "\\|", "\\&", "\\(",
                                          "\\)", "\\<", "\\>", "\\#", "\\\\", "\\a", "\\{", "\\*", "\\n"};
    if (in_dq) return b.pick(2) ? std::string(b.one(dq_text)) : expansion(b, depth, true);
    switch (b.pick(6)) {
        case 0: return b.one(literal);
        case 1: return std::string("'") + b.one(single) + "'";
        case 2: {
            std::string s = "\"";
            for (unsigned k = b.pick(4); k > 0; --k) s += fragment(b, depth + 1, true);
            return s + "\"";
        }
        case 3: return b.one(escaped);
        default: return expansion(b, depth, false);
    }
}

std::string word(Bytes& b) {
    std::string w = fragment(b, 0, false);
    for (unsigned k = b.pick(3); k > 0; --k) w += fragment(b, 0, false);
    return w;
}

std::string redirection(Bytes& b) {
    static const char* const fds[] = {"", "", "", "1", "2", "0", "12", "{fd}"};
    static const char* const ops[] = {">", ">>", ">|", "<", "<>", ">&", "<&", "<<"};
    static const char* const dup_targets[] = {"1", "2", "-", "0", "out"};
    static const char* const file_targets[] = {"out", "err", "in", "\"o u\"", "o$EMPTY", "$G", "'in'",
                                               "${U:-out}", "$(say out)", "`say err`", "$SP"};
    std::string r = b.one(fds);
    std::string op = b.one(ops);
    r += op + (b.pick(4) == 0 ? " " : "");
    return r + (op.back() == '&' ? b.one(dup_targets) : b.one(file_targets));
}

std::string command_word(Bytes& b) {
    static const char* const cmds[] = {"say", "show", "pf", "env", "cat", "tr", "say", "show", "pf",
                                       "echo", "printf", "exec say", "\"say\"", "\\say", "s'a'y", "$CMD",
                                       "${CMD}", "if", "{", "!", "true", "cd", ":", "time", "export",
                                       "say#x", "'pf'", "sa\"y\"", "s*", "nope", "G=$CMD"};
    return b.one(cmds);
}

std::string separator(Bytes& b) { return b.one({" ", " ", " ", "\t", "", "  "}); }

std::string line_of(Bytes& b) {
    std::string line = b.pick(4) == 0 ? b.one({" ", "\t", "  "}) : "";
    for (unsigned k = b.pick(4); k > 0; --k) {
        static const char* const names[] = {"G", "X", "A", "EMPTY", "SP"};
        line += b.pick(2) ? std::string(b.one(names)) + "=" + (b.pick(5) ? word(b) : "") : redirection(b);
        line += separator(b);
    }
    if (b.pick(8) != 0) {
        line += command_word(b);
        for (unsigned k = b.pick(5); k > 0; --k) line += separator(b) + (b.pick(4) ? word(b) : redirection(b));
    }
    if (b.pick(8) == 0) line += std::string(" #") + b.one({"", " c", "; say x", " $(x"});
    for (unsigned k = b.pick(6) < 2 ? b.pick(3) : 0; k > 0; --k) {
        static const char* const chars[] = {"'", "\"", "\\", "`", "(", ")", "{", "}", ";",
                                            "<", ">", "#", "=", " ", "*", "\n", "\t"};
        std::size_t at = (b.pick(256) * 256 + b.pick(256)) % (line.size() + 1);
        line.insert(at, b.one(chars));
    }
    return line;
}

// ---- running a line --------------------------------------------------------

std::string root, work, capture_out, capture_err;

int remove_entry(const char* path, const struct stat*, int, struct FTW* ftw) {
    if (ftw->level > 0) ::remove(path);
    return 0;
}

void remove_tree() {
    if (!root.empty()) nftw(root.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS), ::rmdir(root.c_str());
}

void setup() {
    char tmpl[] = "/tmp/fuzz-exec-XXXXXX";
    if (!mkdtemp(tmpl)) std::abort();
    root = tmpl;
    std::atexit(remove_tree);
    work = root + "/w";
    capture_out = root + "/stdout";
    capture_err = root + "/stderr";
    ::chmod(root.c_str(), 0755);
    ::mkdir((root + "/bin").c_str(), 0755);
    ::mkdir(work.c_str(), 0777);
    ::chmod(work.c_str(), 0777);
    const std::pair<const char*, const char*> programs[] = {{"say", "/usr/bin/echo"}, {"show", "/usr/bin/printenv"},
                                                            {"pf", "/usr/bin/printf"}, {"env", "/usr/bin/env"},
                                                            {"cat", "/usr/bin/cat"}, {"tr", "/usr/bin/tr"}};
    for (auto [name, target] : programs)
        if (::symlink(target, (root + "/bin/" + name).c_str()) != 0) std::abort();
}

void reset_work() {
    nftw(work.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    std::ofstream(work + "/in") << "in put\nline two\n";
    ::chmod((work + "/in").c_str(), 0666);
}

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

// What exec changes in dash's messages and nothing else: it names exec
// ("sh: 1: exec: x: not found"), and when the command word spans lines it
// reports the line the word starts on rather than the one it ends on.
std::string without_exec_marks(std::string s) {
    for (std::size_t at; (at = s.find("exec: ")) != std::string::npos;) s.erase(at, 6);
    for (std::size_t at = 0; (at = s.find("sh: ", at)) != std::string::npos;) {
        at += 4;
        std::size_t end = at;
        while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
        if (end > at && s.compare(end, 2, ": ") == 0) s.replace(at, end - at, "N");
    }
    return s;
}

struct Outcome {
    std::string status, out, err, files;
    bool operator==(const Outcome&) const = default;
};

Outcome run(const std::string& line) {
    reset_work();
    const std::string path = "PATH=" + root + "/bin", home = "HOME=" + work;
    const char* const envp[] = {path.c_str(), home.c_str(), "LC_ALL=C", "G=g1", "X=3", "EMPTY=", "SP=a  b",
                                "CMD=say", "STAR=*", nullptr};
    const char* const argv[] = {"sh", "-c", line.c_str(), nullptr};
    int out = ::open(capture_out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err = ::open(capture_err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || err < 0 || null < 0) std::abort();
    const bool as_root = ::geteuid() == 0;
    // vfork: a fork of this sanitized process costs tens of milliseconds. The
    // child shares our memory until execve, so it makes raw system calls only
    // (glibc's setuid() would signal our threads).
    pid_t pid = ::vfork();
    if (pid == 0) {
        const struct rlimit fsize{1 << 20, 1 << 20}, cpu{5, 5}, nproc{64, 64};
        if (::setpgid(0, 0) != 0 || ::chdir(work.c_str()) != 0 || ::dup2(null, 0) < 0 || ::dup2(out, 1) < 0 ||
            ::dup2(err, 2) < 0 || ::setrlimit(RLIMIT_FSIZE, &fsize) != 0 || ::setrlimit(RLIMIT_CPU, &cpu) != 0)
            _exit(125);
        if (as_root && (::syscall(SYS_setgroups, 0, nullptr) != 0 || ::syscall(SYS_setgid, 65534) != 0 ||
                        ::syscall(SYS_setuid, 65534) != 0))
            _exit(125);
        ::setrlimit(RLIMIT_NPROC, &nproc);
        ::execve("/bin/sh", const_cast<char* const*>(argv), const_cast<char* const*>(envp));
        _exit(125);
    }
    ::close(out), ::close(err), ::close(null);
    if (pid < 0) std::abort();
    Outcome o;
    int status = 0;
    const timespec tick{0, 200'000};
    int waited = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (++waited > 25'000) {  // 5 s
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            o.status = "timeout";
            break;
        }
        ::nanosleep(&tick, nullptr);
    }
    ::kill(-pid, SIGKILL);  // whatever it left in the background
    if (o.status.empty())
        o.status = WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status))
                                     : "signal " + std::to_string(WTERMSIG(status));
    o.out = without_exec_marks(slurp(capture_out));
    o.err = without_exec_marks(slurp(capture_err));
    std::vector<std::string> names;
    if (DIR* d = ::opendir(work.c_str())) {
        while (const dirent* e = ::readdir(d))
            if (std::string_view(e->d_name) != "." && std::string_view(e->d_name) != "..") names.push_back(e->d_name);
        ::closedir(d);
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names) o.files += n + "=" + without_exec_marks(slurp(work + "/" + n)) + "\n";
    return o;
}

void print(const char* what, const Outcome& o) {
    std::fprintf(stderr, "%s: %s\n--- stdout\n%s\n--- stderr\n%s\n--- files\n%s\n", what, o.status.c_str(),
                 o.out.c_str(), o.err.c_str(), o.files.c_str());
}

// What prefix_exec may do to any line: nothing, or put "exec " before a word.
void check_invariants(const std::string& line) {
    const std::string out = formation::prefix_exec(line);
    const bool simple = formation::is_simple_shell_command(line);
    if (out == line) return;
    if (!simple || out.size() != line.size() + 5) __builtin_trap();
    std::size_t at = 0;
    while (at < line.size() && out[at] == line[at]) ++at;
    while (at > 0 && out.compare(at, 5, "exec ") != 0) --at;
    if (out.compare(at, 5, "exec ") != 0 || out.substr(0, at) + out.substr(at + 5) != line) __builtin_trap();
    if (at > 0 && line[at - 1] != ' ' && line[at - 1] != '\t') __builtin_trap();
    if (formation::prefix_exec(out) != out || !formation::is_simple_shell_command(out)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    setup();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    check_invariants(std::string(reinterpret_cast<const char*>(data), size));
    Bytes b{data, size};
    const std::string line = line_of(b);
    check_invariants(line);
    const std::string inserted = formation::prefix_exec(line);
    if (inserted == line) return 0;
    const Outcome as_written = run(line), with_exec = run(inserted);
    if (as_written == with_exec) return 0;
    std::fprintf(stderr, "exec changed what the line does\n  as written: %s\n  with exec:  %s\n", line.c_str(),
                 inserted.c_str());
    print("as written", as_written);
    print("with exec", with_exec);
    remove_tree();  // the trap skips atexit
    __builtin_trap();
}
