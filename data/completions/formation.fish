# fish completion for formation(1). The candidates come from the hidden
# `formation complete WORD...` helper (verbs, options, installed apps, the
# app's process types), so this file never lists them itself.
function __formation_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l out (command $tokens[1] complete -- $tokens[2..-1] "$cur" 2>/dev/null)
    or return
    set -l directive $out[-1]
    set -e out[-1]
    switch "$directive"
        case :files
            __fish_complete_path "$cur"
        case :dirs
            __fish_complete_directories "$cur"
        case '*'
            printf '%s\n' $out
    end
end
complete -c formation -f -a '(__formation_complete)'
