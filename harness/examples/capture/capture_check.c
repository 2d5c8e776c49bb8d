/* SPDX-License-Identifier: MIT */
/*
 * Example reader for vconform captures (docs/capture-library.md): libpcap reads the file,
 * vcf_capture_parse (libvconform-capture) each record. One line per record, everything but
 * the timestamp:
 *
 *   capture_check FILE
 *
 * Exit status 0 when every record parses, 1 when one does not (the line says why and at which
 * byte), 2 when the file cannot be read.
 */
#define _DEFAULT_SOURCE /* u_char and u_int in <pcap/pcap.h> under -std=c11 */

#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>
#include <vconform/capture.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: capture_check FILE\n");
        return 2;
    }
    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(argv[1], perr);
    if (!pc) {
        fprintf(stderr, "capture_check: %s\n", perr);
        return 2;
    }
    const int dlt = pcap_datalink(pc);
    const char *lt = dlt >= 0 ? vcf_capture_linktype_name((unsigned)dlt) : NULL;
    printf("linktype %d (%s)\n", dlt, lt ? lt : "not a vconform link type");
    struct pcap_pkthdr *h;
    const u_char *pkt;
    int rc, status = 0;
    unsigned long n = 0;
    while ((rc = pcap_next_ex(pc, &h, &pkt)) == 1) {
        vcf_capture_view v;
        char err[256];
        if (vcf_capture_parse((unsigned)dlt, pkt, h->caplen, &v, err, sizeof err) != 0) {
            printf("record %lu: %s\n", n++, err);
            status = 1;
            continue;
        }
        printf("record %lu: v%u %s dir %u role %u ch %u order %u result %u flags 0x%x "
               "capacity %u used %u orig %u case %u step %u index %u bus %s rev %u "
               "link 0x%x max %u inst %u",
               n++, v.version, vcf_capture_protocol_name(v.protocol), v.direction, v.role,
               v.channel, v.order, v.result, v.flags, v.capacity, v.used_len, v.orig_len,
               v.case_index, v.step_index, v.record_index, vcf_capture_bus_name(v.bus), v.revision,
               v.link_flags, v.max_msg_size, v.instance);
        if (v.dissector)
            printf(" tag %.*s", (int)v.dissector_len, v.dissector);
        if (v.case_id)
            printf(" id %.*s", (int)v.case_id_len, v.case_id);
        printf(" data");
        for (size_t i = 0; i < v.data_len; i++)
            printf("%s%02x", i ? "" : " ", v.data[i]);
        printf("\n");
    }
    if (rc != PCAP_ERROR_BREAK) {
        fprintf(stderr, "capture_check: %s: %s\n", argv[1], pcap_geterr(pc));
        status = 2;
    }
    pcap_close(pc);
    return status;
}
