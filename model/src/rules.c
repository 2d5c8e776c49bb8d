/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "rules_internal.h"

const char *vcf_rule_level_name(vcf_rule_level level)
{
    switch (level) {
    case VCF_LEVEL_MUST: return "MUST";
    case VCF_LEVEL_SHOULD: return "SHOULD";
    case VCF_LEVEL_MAY: return "MAY";
    case VCF_LEVEL_IMPL: return "IMPL";
    }
    return "?";
}

const char *vcf_rule_aspect_name(vcf_rule_aspect aspect)
{
    switch (aspect) {
    case VCF_ASPECT_SEND: return "send";
    case VCF_ASPECT_RECEIVE: return "receive";
    case VCF_ASPECT_LOCAL: return "local";
    case VCF_ASPECT_LINK: return "link";
    }
    return "?";
}

int vcf_rule_actors_format(unsigned actors, char *buf, size_t cap)
{
    static const char *const names[] = {"driver", "device", "bus"};
    size_t n = 0;
    const char *sep = "";

    if (cap)
        buf[0] = '\0';
    for (unsigned i = 0; i < 3; i++) {
        if (!(actors & (1u << i)))
            continue;
        int w = snprintf(n < cap ? buf + n : NULL, n < cap ? cap - n : 0, "%s%s", sep, names[i]);
        if (w < 0)
            return w;
        n += (size_t)w;
        sep = ", ";
    }
    return (int)n;
}

static const vcf_catalogue *const catalogues[] = {&vcf_rpmsg_catalogue, &vcf_vmsg_catalogue, NULL};

const vcf_catalogue *const *vcf_catalogues(void)
{
    return catalogues;
}

const vcf_catalogue *vcf_catalogue_get(const char *protocol)
{
    for (size_t i = 0; catalogues[i]; i++)
        if (strcmp(catalogues[i]->protocol, protocol) == 0)
            return catalogues[i];
    return NULL;
}

const vcf_rule *vcf_rule_find(const char *id)
{
    for (size_t i = 0; catalogues[i]; i++)
        for (size_t r = 0; r < catalogues[i]->count; r++)
            if (strcmp(catalogues[i]->rules[r].id, id) == 0)
                return &catalogues[i]->rules[r];
    return NULL;
}
