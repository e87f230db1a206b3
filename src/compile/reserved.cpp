// Unit names formation must never make: systemd's own special units
// (systemd.special(7), systemd 252, system and user managers) and the
// "systemd-" namespace. An app "default" would write default.target and take
// the place of the system's default target at the next boot.
#include <algorithm>
#include <array>
#include <string_view>

#include "compile/compile.hpp"

namespace formation {

namespace {

constexpr std::array<std::string_view, 101> special_units = {
    "basic.target", "blockdev@.target", "bluetooth.target", "boot-complete.target",
    "cryptsetup-pre.target", "cryptsetup.target", "ctrl-alt-del.target", "dbus.service",
    "dbus.socket", "default.target", "display-manager.service", "emergency.service",
    "emergency.target", "exit.target", "factory-reset.target", "final.target",
    "first-boot-complete.target", "getty-pre.target", "getty.target", "graphical.target",
    "halt.target", "hibernate.target", "hybrid-sleep.target", "initrd-fs.target",
    "initrd-root-device.target", "initrd-root-fs.target", "initrd-switch-root.target",
    "initrd-usr-fs.target", "initrd.target", "integritysetup-pre.target", "integritysetup.target",
    "kbrequest.target", "kexec.target", "local-fs-pre.target", "local-fs.target",
    "machines.target", "multi-user.target", "network-online.target", "network-pre.target",
    "network.target", "nss-lookup.target", "nss-user-lookup.target", "paths.target",
    "poweroff.target", "printer.target", "reboot.target", "remote-cryptsetup.target",
    "remote-fs-pre.target", "remote-fs.target", "remote-veritysetup.target", "rescue.service",
    "rescue.target", "rpcbind.target", "runlevel0.target", "runlevel1.target",
    "runlevel2.target", "runlevel3.target", "runlevel4.target", "runlevel5.target",
    "runlevel6.target", "shutdown.target", "sigpwr.target", "sleep.target",
    "slices.target", "smartcard.target", "sockets.target", "soft-reboot.target",
    "sound.target", "suspend-then-hibernate.target", "suspend.target", "swap.target",
    "sysinit.target", "syslog.socket", "system-update-cleanup.service", "system-update-pre.target",
    "system-update.target", "time-set.target", "time-sync.target", "timers.target",
    "tpm2.target", "umount.target", "usb-gadget.target", "user-runtime-dir@.service",
    "user@.service", "veritysetup-pre.target", "veritysetup.target", "storage-target-mode.target",
    // user manager
    "graphical-session-pre.target", "graphical-session.target", "xdg-desktop-autostart.target",
    "app.slice", "background.slice", "session.slice",
    // slices and scopes of the manager itself
    "-.slice", "system.slice", "user.slice", "machine.slice", "init.scope",
    "autovt@.service", "getty@.service", "container-getty@.service",
};

bool reserved(std::string_view unit) {
    if (unit.starts_with("systemd-") || unit.starts_with("systemd.") || unit.starts_with("systemd@")) return true;
    return std::find(special_units.begin(), special_units.end(), unit) != special_units.end();
}

}  // namespace

std::vector<Diagnostic> reserved_name_errors(const Formation& f) {
    std::vector<Diagnostic> out;
    if (reserved(app_target_name(f.app)) || f.app == "systemd")
        out.push_back({f.app_where, "app \"" + f.app + "\" would make " + app_target_name(f.app) +
                                        ", a unit of systemd's own (systemd.special(7)); choose another name"});
    else if (reserved(slice_name(f.app)))
        out.push_back({f.app_where, "app \"" + f.app + "\" would make " + slice_name(f.app) +
                                        ", a slice of systemd's own (systemd.special(7)); choose another name"});
    for (const auto& p : f.processes) {
        // A scheduled type makes no template but a run and a timer
        // ("display-manager.service" is app "display"'s type "manager").
        std::string unit = p.schedule ? scheduled_name(f.app, p.name) : template_name(f.app, p.name);
        if (p.schedule && reserved(timer_name(f.app, p.name))) unit = timer_name(f.app, p.name);
        if (reserved(unit))
            out.push_back({p.where, "app \"" + f.app + "\" with process type \"" + p.name + "\" would make " + unit +
                                        ", a unit of systemd's own (systemd.special(7)); choose another name"});
    }
    return out;
}

}  // namespace formation
