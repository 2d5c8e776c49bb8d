/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: reports of a finished run (docs/reports.md).
 *
 * A vcf_report_run describes the run: the tool, the adapter, the options, every case result in
 * the order the cases ran, and the wall time. Four writers render it:
 *
 *   human  failures and non-strict cases with rules, description, the failing step and the
 *          runner's message (expected vs observed, decoded), unsupported cases briefly, the
 *          totals and a verdict line; colour only on a terminal without NO_COLOR;
 *   tap    TAP version 13 with YAML diagnostics;
 *   junit  JUnit XML, one testsuite per rule area ("rpmsg.NS", "virtio-msg.FEAT");
 *   json   {"tool","version","adapter","summary":{...},"cases":[{"id","rules","result",
 *          "message",...}]} plus extra members.
 *
 * The writers only read the run; they return 0, or -1 when writing failed (ferror on the
 * stream), so a full disk is never a silent success.
 */
#ifndef VCF_HARNESS_REPORT_H
#define VCF_HARNESS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "run.h"
#include "vector.h"

typedef enum vcf_report_format {
    VCF_REPORT_HUMAN = 0,
    VCF_REPORT_TAP = 1,
    VCF_REPORT_JUNIT = 2,
    VCF_REPORT_JSON = 3
} vcf_report_format;

/* "human", "tap", "junit", "json" */
const char *vcf_report_format_name(vcf_report_format f);
/* 0 and *out set, or -1 for an unknown name. */
int vcf_report_format_parse(const char *name, vcf_report_format *out);

typedef enum vcf_report_colour {
    VCF_COLOUR_AUTO = 0, /* when the stream is a terminal and NO_COLOR is unset */
    VCF_COLOUR_NEVER = 1,
    VCF_COLOUR_ALWAYS = 2
} vcf_report_colour;

typedef struct vcf_report_counts {
    size_t total;
    size_t passed;
    size_t failed;
    size_t skipped;
    size_t unsupported;
    size_t non_strict;
} vcf_report_counts;

typedef struct vcf_report_run {
    const char *tool_version;    /* "0.1.0" */
    const char *adapter_spec;    /* as given: "model", "so:PATH", "exec:CMD" */
    const char *adapter_name;    /* vcf_adapter.name (may be NULL) */
    const char *adapter_version; /* vcf_adapter.version (may be NULL) */
    bool strict;                 /* --strict: non_strict cases fail the run */
    /* The vector files the cases came from: roles, paths, and the role of each result (found
     * by its group). May be empty; roles then show as "?". */
    const vcf_vfile *const *files;
    size_t n_files;
    const vcf_case_result *results; /* in the order the cases ran */
    size_t n_results;
    double seconds;           /* wall time of the whole run */
    vcf_report_colour colour; /* human report only */
} vcf_report_run;

/* Counts by status. */
void vcf_report_count(const vcf_report_run *run, vcf_report_counts *out);

/* The run's exit status: 0 when every required case passed, 1 when any failed (or, with
 * strict, any was non_strict). Unsupported and skipped cases never change it; 2 (usage,
 * vector or adapter errors) is the caller's to decide. */
int vcf_report_exit_status(const vcf_report_run *run, bool strict);

/* The rule area of a rule ID: "RPMSG-NS-04" -> "rpmsg.NS", "VMSG-FEAT-03" ->
 * "virtio-msg.FEAT"; other prefixes are lower-cased ("FOO-BAR-1" -> "foo.BAR"); an ID without
 * that shape is returned as is. Writes at most cap bytes, NUL-terminated; returns buf. */
char *vcf_report_rule_area(const char *rule_id, char *buf, size_t cap);

/* The vector file a result belongs to (by its group), or NULL. */
const vcf_vfile *vcf_report_file_of(const vcf_report_run *run, const vcf_case_result *r);

int vcf_report_write(const vcf_report_run *run, vcf_report_format format, FILE *out);
int vcf_report_human(const vcf_report_run *run, FILE *out);
int vcf_report_tap(const vcf_report_run *run, FILE *out);
int vcf_report_junit(const vcf_report_run *run, FILE *out);
int vcf_report_json(const vcf_report_run *run, FILE *out);

/* Whether the human report would use colour on this stream (isatty and NO_COLOR unset). */
bool vcf_report_colour_enabled(FILE *out, vcf_report_colour mode);

/*
 * A progress line for terminals: rewrites one line with '\r' ("[ 120/412] 118 passed,
 * 2 failed, ...") and erases it when done reaches total, so the report that follows starts on
 * a clean line. Writes nothing when out is not a terminal. counts may be NULL.
 */
void vcf_report_progress(FILE *out, size_t done, size_t total, const vcf_report_counts *counts);

#endif /* VCF_HARNESS_REPORT_H */
