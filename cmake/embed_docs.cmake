# Writes a C file holding every rule page of rules/docs/ as a string, so that
# `resplint --explain` works from any directory. Run as: cmake -DDOCS=dir -DOUT=file -P this.
file(GLOB pages "${DOCS}/RL*.md")
list(SORT pages)
set(body "/* Generated from rules/docs/ by cmake/embed_docs.cmake: do not edit. */\n#include <string.h>\n\nstatic const struct { const char *id; const char *text; } pages[] = {\n")
foreach(page IN LISTS pages)
  get_filename_component(id "${page}" NAME_WE)
  file(READ "${page}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  # break the literal every 64 bytes so no line is huge
  string(REGEX REPLACE "((\\\\x[0-9a-f][0-9a-f]){64})" "\\1\"\n\"" escaped "${escaped}")
  string(APPEND body "    {\"${id}\", \"${escaped}\"},\n")
endforeach()
string(APPEND body "};\n\nconst char *rlcli_rule_doc(const char *id);\nconst char *rlcli_rule_doc(const char *id)\n{\n    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)\n        if (strcmp(pages[i].id, id) == 0)\n            return pages[i].text;\n    return NULL;\n}\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
