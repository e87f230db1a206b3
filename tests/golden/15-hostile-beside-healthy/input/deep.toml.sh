# Prints deep.toml: a dotted key 100,000 levels deep (about 200 KB, under
# the 1 MiB cap), which overflowed the parser's stack and killed the whole
# generator before it wrote the other apps' units (issue 19).
cat <<'T'
## expect-error "deep.toml:5:129: nested too deeply: this is level 65"
## expect-error "deep: no units generated"
## expect-no-units deep
app = "deep"
T
yes -- a. | head -n 100000 | tr -d '\n'
echo 'b = 1'
