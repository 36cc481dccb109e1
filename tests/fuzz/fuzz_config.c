/* libFuzzer harness for the .resplint parser (cli/config.c, inih): the input is the file,
 * read from memory; then a few paths are matched against its [path "GLOB"] sections and the
 * command-line rule options replayed, as the CLI does for each input. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *fp = fmemopen((void *)(uintptr_t)data, size, "r");
    if (!fp)
        return 0;
    resplint_config *cfg = resplint_config_new();
    rlcli_conf *c = calloc(1, sizeof *c);
    if (cfg && c) {
        rlcli_conf_cli_rule(c, RLCLI_CLI_ENABLE, "RL9004");
        rlcli_conf_cli_rule(c, RLCLI_CLI_DISABLE, "cache-control-syntax");
        rlcli_conf_cli_rule(c, RLCLI_CLI_RULE, "RL2001=info");
        rlcli_conf_cli_rule(c, RLCLI_CLI_RULE, "RL2001");
        if (rlcli_conf_read(c, cfg, fp, "fuzz.resplint") == 0) {
            static const char *const paths[] = {"a.har", "./captures/x.pcap", "dir/sub/y.warc.gz",
                                                "-", "", "[a].http"};
            for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
                resplint_config_free(rlcli_conf_for_path(c, cfg, paths[i]));
        }
        rlcli_conf_free(c);
    }
    free(c);
    resplint_config_free(cfg);
    fclose(fp);
    return 0;
}
