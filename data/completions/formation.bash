# bash completion for formation(1). The candidates come from the hidden
# `formation complete WORD...` helper (verbs, options, installed apps, the
# app's process types), so this file never lists them itself.
_formation() {
    local cur words cword
    if declare -F _get_comp_words_by_ref >/dev/null; then
        # Keep TYPE=N and --opt=VALUE as one word.
        _get_comp_words_by_ref -n =: cur words cword
    else
        words=("${COMP_WORDS[@]}") cword=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]}
    fi
    local cmd=${words[0]}
    type -P "$cmd" >/dev/null 2>&1 || cmd=formation
    local out
    out=$("$cmd" complete -- "${words[@]:1:cword}" 2>/dev/null) || return 0
    local directive=${out##*$'\n'}
    [[ $out == *$'\n'* ]] && out=${out%$'\n'*} || out=
    COMPREPLY=()
    case $directive in
        :files) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return 0 ;;
        :dirs) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return 0 ;;
        :nospace) compopt -o nospace 2>/dev/null ;;
    esac
    local line
    while IFS= read -r line; do
        [ -n "$line" ] && COMPREPLY+=("${line%%$'\t'*}")
    done <<<"$out"
    return 0
}
complete -F _formation formation
