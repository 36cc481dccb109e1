/* A temporary file in a folder the caller names: tmpfile(3) always uses P_tmpdir and ignores
 * TMPDIR, and the library reads no environment, so the caller passes the folder (the CLI its
 * TMPDIR). Part of the toolbox (resplint_text): the report library and the CLI share it. */
#ifndef RLINT_TMPFILE_H
#define RLINT_TMPFILE_H

#include <stdio.h>

/* A new file "DIR/resplint-XXXXXX" opened for reading and writing, already unlinked (it goes
 * when it is closed). dir NULL or empty: /tmp. NULL with errno set when none can be made. */
FILE *rlint_tmpfile(const char *dir);

#endif
