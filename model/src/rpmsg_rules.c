/* SPDX-License-Identifier: MIT */
/*
 * The RPMsg rule catalogue.
 *
 * There is no normative RPMsg specification. These rules are what the surveyed stacks need from
 * each other to interoperate (MUST), what their maintainers and documents recommend (SHOULD, MAY),
 * and, marked IMPL, what one stack does where it departs from that. Sources are cited by file and
 * function (Linux), file and line at a pinned revision (OpenAMP 23d4c5d, rpmsg-lite v5.4.0), or
 * the mailing-list thread. Short names used below:
 *   virtio_rpmsg_bus.c  Linux drivers/rpmsg/virtio_rpmsg_bus.c (v6.11)
 *   rpmsg_ns.c          Linux drivers/rpmsg/rpmsg_ns.c
 *   rpmsg_core.c        Linux drivers/rpmsg/rpmsg_core.c
 *   OpenAMP             OpenAMP lib/rpmsg/ at 23d4c5d
 *   rpmsg-lite          NXP rpmsg-lite lib/rpmsg_lite/ at v5.4.0
 *   vhost RPMsg v5      "[PATCH v5 4/4] vhost: add an RPMsg API" (2020, never merged)
 */
#include "vconform/rpmsg_rules.h"
#include "rules_table.h"

/* One named string per published ID, from the public list, so the table below can point at it. */
#define VCF_RPMSG_RULE_ID(name, id) static const char id_##name[] = id;
VCF_RPMSG_RULE_LIST(VCF_RPMSG_RULE_ID)
#undef VCF_RPMSG_RULE_ID

/* Rules that bind a protocol side. */
#define RULE(name, lvl, act, asp, top, ttl, stmt, sd, src)                                         \
    [VCF_RPMSG_##name] = {.id = id_##name,                                                         \
                          .level = lvl,                                                            \
                          .actors = act,                                                           \
                          .aspect = asp,                                                           \
                          .topic = top,                                                            \
                          .title = ttl,                                                            \
                          .statement = stmt,                                                       \
                          .seed = sd,                                                              \
                          .sources = src}

/* What one stack does. prof names the model profile that reproduces it, or NULL. */
#define IMPL_RULE(name, act, asp, top, ttl, stmt, stk, prof, sd, src)                              \
    [VCF_RPMSG_##name] = {.id = id_##name,                                                         \
                          .level = IMPL,                                                           \
                          .actors = act,                                                           \
                          .aspect = asp,                                                           \
                          .topic = top,                                                            \
                          .title = ttl,                                                            \
                          .statement = stmt,                                                       \
                          .stacks = stk,                                                           \
                          .profiles = prof,                                                        \
                          .seed = sd,                                                              \
                          .sources = src}

static const vcf_rule rules[VCF_RPMSG_RULE_COUNT] = {
    /* ---- header and framing ---------------------------------------------------------------- */
    RULE(HDR_01, MUST, BOTH, LINK, "header", "one message per buffer",
         "Every virtqueue buffer carries exactly one message: a 16-byte header (src, dst, "
         "reserved, len, flags, in that order) followed by len payload bytes from offset 16.",
         "RPMSG-HDR-01",
         SRC("Linux include/linux/rpmsg/virtio.h: struct rpmsg_hdr",
             "OpenAMP rpmsg_internal.h:55-70", "rpmsg-lite rpmsg_lite.h:131-149",
             "OpenAMP docs protocol_details/rpmsg_protocol.rst")),
    RULE(HDR_02, MUST, BOTH, SEND, "header", "len is the payload size",
         "A sender writes in len the exact number of payload bytes after the header, and the "
         "buffer it hands over holds at least 16 + len bytes.",
         "RPMSG-HDR-02",
         SRC("virtio_rpmsg_bus.c: rpmsg_send_offchannel_raw()", "OpenAMP rpmsg_virtio.c:439-456")),
    RULE(HDR_03, MUST, BOTH, SEND, "header", "oversized payloads are refused",
         "A payload longer than the transmit buffer minus the 16-byte header is refused with an "
         "error to the caller. It is never truncated, split or sent in part.",
         "RPMSG-HDR-02",
         SRC("virtio_rpmsg_bus.c: rpmsg_send_offchannel_raw() (-EMSGSIZE)",
             "rpmsg-lite rpmsg_lite.c:777,880 (RL_ERR_BUFF_SIZE)",
             "vhost RPMsg v5, seed 002 L297-305 (-ENOBUFS)")),
    RULE(HDR_04, SHOULD, BOTH, SEND, "header", "flags is sent as zero",
         "A sender writes 0 in the header's flags field; no flag is defined.", "RPMSG-HDR-03",
         SRC("virtio_rpmsg_bus.c: rpmsg_send_offchannel_raw()", "OpenAMP rpmsg_virtio.c:440",
             "rpmsg-lite rpmsg_lite.c:739,909 (RL_NO_FLAGS)",
             "OpenAMP docs rpmsg_protocol.rst (flags unused and reserved)")),
    RULE(HDR_05, SHOULD, BOTH, SEND, "header", "reserved is sent as zero",
         "A sender writes 0 in the header's reserved field. It carries no data between the cores "
         "and the receiver may overwrite it in its own copy of the buffer.",
         "RPMSG-HDR-04",
         SRC("virtio_rpmsg_bus.c: rpmsg_send_offchannel_raw()", "OpenAMP rpmsg_virtio.c:439",
             "OpenAMP docs rpmsg_protocol.rst (reserved not used to transmit data)")),
    RULE(HDR_06, MUST, BOTH, RECV, "header", "flags and reserved are ignored on receive",
         "A receiver ignores the flags and reserved fields: whatever their values, the message is "
         "delivered exactly as it would be with zeros there.",
         "RPMSG-HDR-03",
         SRC("virtio_rpmsg_bus.c: rpmsg_recv_single() (dev_dbg only)",
             "OpenAMP rpmsg_virtio.c:583-600", "rpmsg-lite rpmsg_lite.c:198")),
    RULE(HDR_07, MUST, BOTH, RECV, "header", "a buffer shorter than a header is dropped",
         "A receiver drops a buffer whose used length is below 16: it cannot hold a header, so "
         "nothing in it, len included, can be trusted.",
         "RPMSG-HDR-05",
         SRC("derived: virtio_rpmsg_bus.c rpmsg_recv_single() computes used length - 16 unsigned",
             "rpmsg-rules.md 5.2 item 1")),
    RULE(HDR_08, MUST, BOTH, RECV, "header", "len must fit in the used length",
         "A receiver drops a message whose len is larger than the used length minus 16; it never "
         "reads payload bytes the sender did not write.",
         "RPMSG-HDR-05", SRC("virtio_rpmsg_bus.c: rpmsg_recv_single() (\"inbound msg too big\")")),
    RULE(HDR_09, MUST, DRV, RECV, "header", "used length within the posted buffer",
         "The driver drops a buffer whose used length, as the device reports it, is larger than "
         "the buffer the driver posted.",
         "RPMSG-HDR-05", SRC("virtio_rpmsg_bus.c: rpmsg_recv_single() (len > vrp->buf_size)")),
    RULE(HDR_10, MUST, BOTH, LINK, "header", "zero-length messages are legal",
         "A message with len 0 is legal: it is sent like any other and delivered to its endpoint "
         "as a message with an empty payload, not skipped as an empty buffer.",
         "RPMSG-HDR-09",
         SRC("virtio_rpmsg_bus.c: rpmsg_send_offchannel_raw() (no lower bound)",
             "OpenAMP rpmsg.c:126 (only len < 0 refused)",
             "Linux drivers/rpmsg/rpmsg_char.c: rpmsg_ept_cb() (empty messages queued)")),
    RULE(HDR_11, MUST, BOTH, RECV, "header", "bytes after the payload are ignored",
         "A receiver accepts any used length from 16 + len up to the buffer size and ignores the "
         "bytes after the payload: some devices report the whole buffer, others only what they "
         "wrote.",
         "RPMSG-VQ-05",
         SRC("OpenAMP rpmsg_virtio.c:130,453 (full buffer length)",
             "rpmsg-lite virtqueue.c vq_tx_remote (full buffer length)",
             "virtio_rpmsg_bus.c: rpmsg_recv_single() (used length is an upper bound only)")),
    RULE(HDR_12, MUST, BOTH, RECV, "header", "every buffer goes back",
         "Every received buffer, delivered or dropped, is handed back for reuse (re-posted by the "
         "driver, returned as used by the device), and the buffers after a dropped one are still "
         "processed.",
         "RPMSG-EP-02",
         SRC("OpenAMP commit 52c8f75 (always return the rx buffer)",
             "virtio_rpmsg_bus.c: rpmsg_recv_single() (unknown destination: buffer re-posted)")),
    RULE(HDR_13, SHOULD, DEV, SEND, "header", "used length is what was written",
         "A device reports as used length the bytes it wrote into the buffer, 16 + len.",
         "RPMSG-VQ-05",
         SRC("VIRTIO 1.x 2.7.8 (used ring: len is the number of bytes written)",
             "vhost RPMsg v5, seed 002 L353-366")),
    IMPL_RULE(HDR_14, DRV, RECV, "header", "Linux keeps the buffer of a dropped message",
              "Linux drops a message whose used length exceeds 512 or whose len exceeds the used "
              "length minus 16 without re-posting its buffer, and leaves the rest of the batch "
              "until the next interrupt; each such message costs the rx pool one buffer.",
              "linux", "linux", "RPMSG-HDR-05",
              SRC("virtio_rpmsg_bus.c: rpmsg_recv_single() returns -EINVAL before re-posting",
                  "virtio_rpmsg_bus.c: rpmsg_recv_done() breaks out of the loop")),
    IMPL_RULE(HDR_15, DRV, RECV, "header", "Linux's length check wraps below 16 bytes",
              "Linux compares len with the used length minus 16 in unsigned arithmetic; with a "
              "used length below 16 the subtraction wraps, the check passes, and up to 65535 "
              "payload bytes read from the buffer reach the endpoint.",
              "linux", "linux", "RPMSG-HDR-05",
              SRC("derived from virtio_rpmsg_bus.c: rpmsg_recv_single() (not run)")),
    IMPL_RULE(HDR_16, BOTH, RECV, "header", "len is not checked",
              "OpenAMP and rpmsg-lite pass len to the endpoint without comparing it with the used "
              "or buffer length, so a large len makes the endpoint read past the message.",
              "openamp, rpmsg-lite", "openamp", "RPMSG-HDR-07",
              SRC("OpenAMP rpmsg_virtio.c:599-600", "rpmsg-lite rpmsg_lite.c:198")),
    IMPL_RULE(HDR_17, BOTH, SEND, "header", "OpenAMP truncates oversized payloads",
              "OpenAMP cuts a payload that does not fit down to the buffer's capacity, sends the "
              "shorter message and returns the shorter length to the caller.",
              "openamp", "openamp", "RPMSG-HDR-02", SRC("OpenAMP rpmsg_virtio.c:527-528")),
    IMPL_RULE(HDR_18, BOTH, SEND, "header", "the whole buffer is reported",
              "OpenAMP and rpmsg-lite report the full buffer size, not 16 + len, as the length of "
              "the buffers they send: as used length on the device side and as descriptor length "
              "on the driver side.",
              "openamp, rpmsg-lite", "openamp", "RPMSG-VQ-06",
              SRC("OpenAMP rpmsg_virtio.c:130,450-456", "rpmsg-lite virtqueue.c vq_tx_remote")),
    /* ---- byte order ------------------------------------------------------------------------ */
    RULE(END_01, MUST, BOTH, LINK, "byte order", "one byte order per link",
         "The header fields and the name-service addr and flags are little-endian when "
         "VIRTIO_F_VERSION_1 is negotiated, and in the driver's native order on a legacy link. "
         "Names and payloads are bytes and are never swapped.",
         "RPMSG-END-01",
         SRC("virtio_rpmsg_bus.c: virtio_is_little_endian() use (commit 111d1089700c)",
             "Linux include/linux/rpmsg/byteorder.h",
             "vhost RPMsg review thread v3, seed 000 L497-498, L581-582 (M. S. Tsirkin)")),
    RULE(END_02, SHOULD, BOTH, LINK, "byte order", "new links are little-endian",
         "New implementations negotiate VIRTIO_F_VERSION_1 and so run little-endian; native order "
         "is for legacy links only.",
         "RPMSG-END-03",
         SRC("vhost RPMsg review thread v3, seed 000 L217-220, L557-558, L590",
             "vhost RPMsg series v4 changelog, seed 001 @1539")),
    IMPL_RULE(END_03, BOTH, LINK, "byte order", "no byte-order conversion",
              "OpenAMP and rpmsg-lite never convert: they put their own CPU's order on the wire "
              "whatever was negotiated, so they interoperate only with a peer of the same order.",
              "openamp, rpmsg-lite", "openamp", "RPMSG-END-04",
              SRC("OpenAMP lib/rpmsg (no byte-swap calls; git log --grep endian is empty)",
                  "rpmsg-lite lib/rpmsg_lite (no byte-swap calls)")),
    IMPL_RULE(
        END_04, DRV, LINK, "byte order", "remoteproc links are always legacy",
        "Over remoteproc Linux cannot negotiate VIRTIO_F_VERSION_1 (the feature word is 32 bits), "
        "so every remoteproc link runs in the Linux CPU's native order.",
        "linux", NULL, "RPMSG-END-04",
        SRC("Linux drivers/remoteproc/remoteproc_virtio.c: rproc_virtio_finalize_features()")),
    /* ---- addresses --------------------------------------------------------------------------- */
    RULE(ADDR_01, MUST, BOTH, SEND, "addresses", "no message to ANY",
         "RPMSG_ADDR_ANY (0xFFFFFFFF) is a wildcard for local APIs, not an address: a send with "
         "destination ANY is refused. RPMsg has no broadcast.",
         "RPMSG-ADDR-01",
         SRC("virtio_rpmsg_bus.c: rpmsg_send_offchannel_raw() (\"bcasting isn't allowed\")",
             "OpenAMP rpmsg.c:126")),
    RULE(ADDR_02, MUST, BOTH, SEND, "addresses", "no message from ANY",
         "A send with source ANY is refused: the receiver could not answer it.", "RPMSG-ADDR-01",
         SRC("virtio_rpmsg_bus.c: rpmsg_send_offchannel_raw() (-EINVAL)")),
    RULE(ADDR_03, MUST, BOTH, RECV, "addresses", "a message to ANY is dropped",
         "A received message whose destination is ANY is dropped: no endpoint can be bound to ANY.",
         "RPMSG-ADDR-01",
         SRC("virtio_rpmsg_bus.c: rpmsg_recv_single() (idr_find)",
             "OpenAMP rpmsg_get_ept_from_addr()")),
    RULE(ADDR_04, SHOULD, BOTH, LOCAL, "addresses", "dynamic addresses start at 1024",
         "Addresses 0 to 1023 are kept for predefined services and are bound only explicitly; "
         "dynamic allocation hands out addresses from 1024 up.",
         "RPMSG-ADDR-02",
         SRC("virtio_rpmsg_bus.c: RPMSG_RESERVED_ADDRESSES, __rpmsg_create_ept()",
             "OpenAMP rpmsg.h:32")),
    RULE(ADDR_05, MUST, BOTH, LOCAL, "addresses", "addresses are unique",
         "Each endpoint on one side has its own address; binding an address already in use fails.",
         "RPMSG-ADDR-03",
         SRC("virtio_rpmsg_bus.c: __rpmsg_create_ept() (idr_alloc fails)",
             "OpenAMP rpmsg.c:355-359 (RPMSG_ERR_ADDR)")),
    RULE(ADDR_06, MUST, BOTH, LOCAL, "addresses", "53 is the name service's",
         "When VIRTIO_RPMSG_F_NS is negotiated, address 53 belongs to the name-service endpoint "
         "and no other endpoint can be bound to it.",
         "RPMSG-ADDR-04",
         SRC("Linux include/linux/rpmsg/ns.h (RPMSG_NS_ADDR)", "rpmsg_ns.c: rpmsg_ns_probe()",
             "OpenAMP rpmsg_virtio.c:941-945")),
    RULE(ADDR_07, MUST, BOTH, LOCAL, "addresses", "exhaustion is an error",
         "When no dynamic address is free, creating an endpoint fails with an error; an address is "
         "never handed out twice while it is bound.",
         "RPMSG-ADDR-02",
         SRC("virtio_rpmsg_bus.c: __rpmsg_create_ept() (idr_alloc < 0)",
             "OpenAMP rpmsg.c:336-341 (RPMSG_ERR_ADDR)")),
    IMPL_RULE(ADDR_08, BOTH, LOCAL, "addresses", "Linux address allocation",
              "Linux hands out the lowest free address from 1024 up to INT_MAX; an explicit "
              "address above INT_MAX cannot be bound.",
              "linux", "linux", "RPMSG-ADDR-03",
              SRC("virtio_rpmsg_bus.c: __rpmsg_create_ept() (idr_alloc(1024, 0))")),
    IMPL_RULE(ADDR_09, BOTH, LOCAL, "addresses", "OpenAMP address allocation",
              "OpenAMP's dynamic pool is 1024 to 1151 (128 addresses), searched next-fit from the "
              "last address handed out. An explicit address of 1152 or more is refused, and a "
              "second bind of an address below 1024 is not detected.",
              "openamp", "openamp", "RPMSG-ADDR-03",
              SRC("OpenAMP rpmsg.c:28-40 (RPMSG_ADDR_BMP_SIZE 128)",
                  "OpenAMP rpmsg.c:355-359 (\"Trust the author of predefined service\")")),
    IMPL_RULE(ADDR_10, BOTH, SEND, "addresses", "source ANY is sent",
              "OpenAMP and rpmsg-lite send a message whose source is ANY.", "openamp, rpmsg-lite",
              "openamp", "RPMSG-ADDR-01",
              SRC("OpenAMP rpmsg.c:126 (only the destination is checked)",
                  "rpmsg-lite rpmsg_lite.c (no check)")),
    IMPL_RULE(ADDR_11, BOTH, LOCAL, "addresses", "rpmsg-lite allocates from 1",
              "rpmsg-lite hands out the first free address from 1, inside the reserved range, and "
              "can hand out 53 when no name-service endpoint is bound.",
              "rpmsg-lite", NULL, "RPMSG-ADDR-02", SRC("rpmsg-lite rpmsg_lite.c:523")),
    /* ---- endpoints --------------------------------------------------------------------------- */
    RULE(EP_01, MUST, BOTH, RECV, "endpoints", "dispatch by destination",
         "A received message goes to the local endpoint bound at its destination address, with its "
         "source address and exactly len payload bytes, unchanged.",
         "RPMSG-EP-01",
         SRC("Linux Documentation/staging/rpmsg.rst",
             "virtio_rpmsg_bus.c: rpmsg_recv_single() (idr_find)",
             "OpenAMP rpmsg_get_ept_from_addr()",
             "rpmsg-lite rpmsg_lite_get_endpoint_from_addr()")),
    RULE(EP_02, MUST, BOTH, RECV, "endpoints", "unknown destinations are dropped",
         "A message whose destination has no endpoint is dropped; its buffer is handed back and "
         "the following messages are processed.",
         "RPMSG-EP-02",
         SRC("virtio_rpmsg_bus.c: rpmsg_recv_single() (\"msg received with no recipient\")",
             "OpenAMP commit 52c8f75")),
    RULE(EP_03, MUST, BOTH, LOCAL, "endpoints", "destroy releases the address",
         "Destroying an endpoint releases its address: later messages to it are for an unknown "
         "destination, and the address can be bound again. Destroying an endpoint that does not "
         "exist is an error.",
         NULL,
         SRC("virtio_rpmsg_bus.c: __rpmsg_destroy_ept() (idr_remove)",
             "OpenAMP rpmsg.c: rpmsg_destroy_ept()")),
    RULE(EP_04, MUST, BOTH, LOCAL, "endpoints", "no room is an error",
         "When a side has no room for another endpoint or channel, the creation fails with an "
         "error and the existing ones are unaffected.",
         NULL, SRC("virtio_rpmsg_bus.c: __rpmsg_create_ept() (-ENOMEM path)")),
    RULE(EP_05, MUST, BOTH, SEND, "endpoints", "the source is a local endpoint",
         "A message's source address is that of an endpoint bound on the sending side, so that the "
         "peer's reply reaches it.",
         NULL, SRC("virtio_rpmsg_bus.c: virtio_rpmsg_send() (src = ept->addr)")),
    IMPL_RULE(EP_06, BOTH, RECV, "endpoints", "OpenAMP learns the peer's address",
              "An OpenAMP endpoint created without a destination takes the source of the first "
              "message it receives as its destination.",
              "openamp", "openamp", "RPMSG-EP-03", SRC("OpenAMP rpmsg_virtio.c:592-598")),
    /* ---- name service ------------------------------------------------------------------------ */
    RULE(NS_01, MUST, BOTH, LINK, "name service", "the name-service message",
         "A name-service message is sent to address 53 with len 40; its payload is a 32-byte name, "
         "a 32-bit address and 32-bit flags.",
         "RPMSG-NS-01",
         SRC("Linux include/linux/rpmsg/ns.h: struct rpmsg_ns_msg", "OpenAMP rpmsg_internal.h:82",
             "rpmsg-lite rpmsg_ns.c")),
    RULE(NS_02, SHOULD, BOTH, SEND, "name service", "the header source is the announced endpoint",
         "A name-service message is sent from the announced endpoint's own address. Receivers take "
         "the address from the payload and do not rely on the header's source.",
         "RPMSG-NS-01",
         SRC("rpmsg_ns.c: rpmsg_ns_cb() (src unused)", "OpenAMP rpmsg.c:146",
             "vhost RPMsg v5, seed 002 L450 (sends src 0)")),
    RULE(NS_03, MUST, BOTH, RECV, "name service", "the payload is 40 bytes",
         "A name-service message whose payload is not exactly 40 bytes is dropped without effect. "
         "The 72-byte vendor variants are non-standard and are dropped too.",
         "RPMSG-NS-02",
         SRC("rpmsg_ns.c: rpmsg_ns_cb() (\"malformed ns msg\")", "OpenAMP rpmsg_virtio.c:653-655",
             "rpmsg-lite rpmsg_ns.c:78-82",
             "linux-remoteproc, \"rpmsg_ns: Work around TI non-standard message\" (2024, "
             "rejected)")),
    RULE(NS_04, MUST, BOTH, RECV, "name service", "bit 0 selects create or destroy",
         "Bit 0 of the payload's flags decides the operation: 0 creates, 1 destroys.",
         "RPMSG-NS-03",
         SRC("Linux include/linux/rpmsg/ns.h: enum rpmsg_ns_flags", "rpmsg_ns.c: rpmsg_ns_cb()",
             "OpenAMP rpmsg_virtio.c:671")),
    RULE(NS_05, SHOULD, BOTH, SEND, "name service", "other flag bits are sent as zero",
         "A sender sets no flag bit other than bit 0.", "RPMSG-NS-03",
         SRC("Linux include/linux/rpmsg/ns.h", "OpenAMP rpmsg_internal.h:42-47")),
    RULE(NS_06, MUST, BOTH, RECV, "name service", "other flag bits are ignored",
         "A receiver acts on bit 0 alone and ignores the other flag bits; extensions give bit 1 "
         "conflicting meanings, so none of them can be assumed.",
         "RPMSG-NS-03",
         SRC("rpmsg_ns.c: rpmsg_ns_cb() (flags & RPMSG_NS_DESTROY)", "OpenAMP rpmsg_virtio.c:671",
             "rpmsg-rules.md 1.2 (NuttX CREATE_ACK and RFC AS_ANNOUNCE both use bit 1)")),
    RULE(NS_07, MUST, BOTH, RECV, "name service", "the name is bounded",
         "A receiver takes as the name the bytes before the first NUL, or all 32 bytes if there is "
         "none, never reads beyond the 32 bytes, and ignores whatever follows the NUL.",
         "RPMSG-NS-04",
         SRC("rpmsg_ns.c: rpmsg_ns_cb() (\"don't trust the remote processor\")",
             "OpenAMP rpmsg_virtio.c:647,656-658")),
    RULE(NS_08, SHOULD, BOTH, SEND, "name service", "names are terminated and zero-padded",
         "A sender announces names of at most 31 characters, NUL-terminated, with every byte after "
         "the NUL zero.",
         "RPMSG-NS-04",
         SRC("virtio_rpmsg_bus.c: virtio_rpmsg_announce_create() (strscpy_pad)",
             "vhost RPMsg v5, seed 002 L460-469")),
    RULE(NS_09, MUST, BOTH, RECV, "name service", "create opens a channel",
         "A create for a name and address not yet announced opens a channel: the upper layer "
         "learns the service name and the peer's address.",
         "RPMSG-NS-05",
         SRC("rpmsg_ns.c: rpmsg_ns_cb()", "virtio_rpmsg_bus.c: __rpmsg_create_channel()",
             "Linux Documentation/staging/rpmsg.rst")),
    RULE(NS_10, MUST, BOTH, RECV, "name service", "duplicate creates change nothing",
         "A create for a name and address that are already announced opens no second channel. The "
         "same name at a different address is a different channel.",
         "RPMSG-NS-05",
         SRC("virtio_rpmsg_bus.c: __rpmsg_create_channel() (\"channel %s:%x:%x already exist\")",
             "OpenAMP rpmsg_virtio.c:635-704 (idempotent rebind)")),
    RULE(NS_11, MUST, BOTH, RECV, "name service", "destroy closes the channel",
         "A destroy for an announced name and address closes that channel and tells the upper "
         "layer.",
         "RPMSG-NS-06",
         SRC("rpmsg_ns.c: rpmsg_ns_cb()", "rpmsg_core.c: rpmsg_unregister_device()")),
    RULE(NS_12, MUST, BOTH, RECV, "name service", "destroy of an unknown channel",
         "A destroy for a name and address that were never announced, or are already gone, is "
         "consumed without effect.",
         "RPMSG-NS-06", SRC("rpmsg_core.c: rpmsg_unregister_device() (-EINVAL, message consumed)")),
    RULE(NS_13, MUST, BOTH, RECV, "name service", "no name service without the feature",
         "Without VIRTIO_RPMSG_F_NS there is no name-service endpoint: a message to 53 is an "
         "ordinary message, dropped as for an unknown destination unless an endpoint is bound "
         "there.",
         "RPMSG-NS-09",
         SRC("virtio_rpmsg_bus.c: rpmsg_probe() (NS device only with F_NS)",
             "OpenAMP rpmsg_virtio.c:842 (support_ns)")),
    RULE(NS_14, MUST, BOTH, SEND, "name service", "no announcements without the feature",
         "Without VIRTIO_RPMSG_F_NS a side sends no name-service message.", "RPMSG-NS-09",
         SRC("virtio_rpmsg_bus.c: virtio_rpmsg_announce_create() (virtio_has_feature)",
             "OpenAMP commit 66cf86d")),
    RULE(NS_15, SHOULD, DEV, SEND, "name service", "the device announces its services",
         "The device side announces each named service it offers with a create. A Linux driver "
         "side opens channels, and probes drivers, only on such announcements.",
         "RPMSG-NS-10",
         SRC("Linux Documentation/staging/rpmsg.rst (the remote announces its services)",
             "vhost RPMsg v5 review, seed 002 L1908-1909, L2291-2293 (M. Poirier)")),
    RULE(NS_16, MAY, DRV, SEND, "name service", "the driver may announce too",
         "The driver side may announce its own named endpoints; a side that negotiated "
         "VIRTIO_RPMSG_F_NS processes announcements from its peer whichever role the peer has.",
         "RPMSG-NS-10",
         SRC("virtio_rpmsg_bus.c: virtio_rpmsg_announce_create()",
             "vhost RPMsg v5 review, seed 002 L2631-2642, L2739-2740")),
    RULE(NS_17, MUST, BOTH, SEND, "name service", "what was announced is withdrawn",
         "A side that announced an endpoint sends a destroy for it when the endpoint is destroyed.",
         "RPMSG-NS-10", SRC("virtio_rpmsg_bus.c: virtio_rpmsg_announce_destroy()")),
    RULE(NS_18, MUST, BOTH, SEND, "name service", "announce a real endpoint",
         "An announcement names an endpoint bound on the announcing side: its name, and its "
         "address, which is never ANY or 53.",
         "RPMSG-NS-01",
         SRC("virtio_rpmsg_bus.c: virtio_rpmsg_announce_create() (addr = rpdev->ept->addr)",
             "OpenAMP rpmsg.c:140-146")),
    RULE(NS_19, SHOULD, BOTH, RECV, "name service", "an announcement of ANY is dropped",
         "A receiver drops a create whose address is ANY or 53: no message could be sent to such a "
         "channel.",
         "RPMSG-NS-05",
         SRC("derived: rpmsg_ns.c rpmsg_ns_cb() accepts them, rpmsg-rules.md 2.4.5")),
    IMPL_RULE(NS_20, BOTH, RECV, "name service", "Linux cuts names to 31 characters",
              "Linux writes a NUL over byte 31 of a received name, in place, so a 32-character "
              "name becomes 31 characters long.",
              "linux", "linux", "RPMSG-NS-04",
              SRC("rpmsg_ns.c: rpmsg_ns_cb() (msg->name[31] = 0)")),
    IMPL_RULE(
        NS_21, BOTH, RECV, "name service", "Linux accepts any announced address",
        "Linux does not check the announced address: ANY and 53 open a channel, and a channel at "
        "ANY then matches every address of its name.",
        "linux", "linux", "RPMSG-NS-05",
        SRC("rpmsg_ns.c: rpmsg_ns_cb()", "rpmsg_core.c: rpmsg_device_match() (ANY wildcard)")),
    IMPL_RULE(
        NS_22, BOTH, RECV, "name service", "OpenAMP binds on create",
        "On a create OpenAMP looks for a local endpoint of that name that is unbound or already "
        "bound to the address and binds it; without one it tells the application, again on every "
        "repeat. It keeps no list of channels, and does not check the announced address.",
        "openamp", "openamp", "RPMSG-NS-07",
        SRC("OpenAMP rpmsg_virtio.c:635-704", "OpenAMP commits 3cf99d9, 60b77cb")),
    IMPL_RULE(NS_23, BOTH, RECV, "name service", "OpenAMP unbinds on destroy",
              "On a destroy OpenAMP unbinds the matching endpoint (its destination becomes ANY) "
              "without destroying it, and tells the application even when nothing matched.",
              "openamp", "openamp", "RPMSG-NS-07", SRC("OpenAMP rpmsg_virtio.c:635-704")),
    IMPL_RULE(NS_24, BOTH, SEND, "name service", "OpenAMP announces every named endpoint",
              "OpenAMP announces each named endpoint created without a destination, in either "
              "role, but withdraws it only if its address is 1024 or more.",
              "openamp", "openamp", "RPMSG-NS-10",
              SRC("OpenAMP rpmsg.c:366-368,388-390", "OpenAMP PR #212")),
    IMPL_RULE(NS_25, BOTH, SEND, "name service", "Linux announces on request only",
              "Linux announces only channels created locally with a fixed source address, never a "
              "plain endpoint.",
              "linux", "linux", "RPMSG-NS-10",
              SRC("virtio_rpmsg_bus.c: virtio_rpmsg_announce_create() (rpdev->announce)")),
    IMPL_RULE(NS_26, BOTH, SEND, "name service", "Linux announces silently without F_NS",
              "Without VIRTIO_RPMSG_F_NS Linux still creates (or releases) the announced channel "
              "and reports success, but sends nothing: the caller is not told that the peer "
              "never heard of it.",
              "linux", "linux", "RPMSG-NS-14",
              SRC("virtio_rpmsg_bus.c: virtio_rpmsg_announce_create(), "
                  "virtio_rpmsg_announce_destroy() (return 0 without F_NS)",
                  "confirmed on Linux 6.1 under UML (docs/real-peers.md)")),
    IMPL_RULE(NS_27, BOTH, SEND, "name service", "Linux cuts local names to 31 characters",
              "Linux takes an endpoint or channel name of any length from its user and keeps the "
              "first 31 characters (the name field is 32 bytes and its last byte is forced to "
              "NUL), where a stack should refuse a name that does not fit; a longer name is "
              "announced cut.",
              "linux", "linux", "RPMSG-NS-08",
              SRC("rpmsg_ctrl.c: rpmsg_ctrldev_ioctl() (chinfo.name[31] = 0)",
                  "found by differential fuzzing against Linux 6.1 under UML")),
    /* ---- virtqueues and transmission ------------------------------------------------------- */
    RULE(VQ_01, MUST, BOTH, LINK, "virtqueues", "two queues, fixed directions",
         "A link has two virtqueues: queue 0 carries device-to-driver messages and queue 1 "
         "driver-to-device messages.",
         "RPMSG-VQ-01",
         SRC("virtio_rpmsg_bus.c: rpmsg_probe() (\"rx and tx (and in this order)\")",
             "OpenAMP docs rpmsg_comms.rst")),
    RULE(VQ_02, MUST, BOTH, LINK, "virtqueues", "the driver owns the buffers",
         "The driver provides every buffer in both directions; the device sends only into buffers "
         "the driver has posted on queue 0.",
         "RPMSG-VQ-02", SRC("OpenAMP docs rpmsg_comms.rst (the main core owns both rings)")),
    RULE(VQ_03, SHOULD, BOTH, SEND, "virtqueues", "one descriptor per message",
         "A message travels in a single buffer, not a descriptor chain.", "RPMSG-VQ-03",
         SRC("virtio_rpmsg_bus.c: rpmsg_sg_init()", "OpenAMP rpmsg_virtio.c (one descriptor)")),
    RULE(TX_01, MUST, BOTH, SEND, "transmission", "no buffer, no send",
         "A send with no free transmit buffer fails with a no-buffer error and emits nothing; a "
         "message is never dropped silently or written over another one.",
         "RPMSG-TX-01",
         SRC("virtio_rpmsg_bus.c: rpmsg_send_offchannel_raw() (-ENOMEM / timeout)",
             "OpenAMP rpmsg_virtio.c:376-403 (RPMSG_ERR_NO_BUFF)")),
    RULE(TX_02, MUST, BOTH, LINK, "transmission", "buffers come back before reuse",
         "A transmit buffer is reused only after the peer has given it back, so a side never has "
         "more messages in flight than buffers in that direction; RPMsg has no other flow control.",
         "RPMSG-TX-02",
         SRC("OpenAMP docs rpmsg_protocol.rst (no flow control)",
             "virtio_rpmsg_bus.c: get_a_tx_buf()")),
    RULE(INIT_01, MUST, DRV, LINK, "initialisation", "accept only known features",
         "The driver accepts only the device feature bits it implements. VIRTIO_RPMSG_F_NS (bit 0) "
         "is the only RPMsg bit defined upstream; bit 1 has two incompatible meanings in "
         "out-of-tree extensions.",
         "RPMSG-INIT-05",
         SRC("VIRTIO 1.x 3.1.1 (the driver writes the subset of features it understands)",
             "virtio_rpmsg_bus.c: features[] = { VIRTIO_RPMSG_F_NS }")),
    IMPL_RULE(INIT_02, DRV, LINK, "initialisation", "OpenAMP accepts every feature",
              "The OpenAMP driver accepts every feature bit the device offers.", "openamp",
              "openamp", "RPMSG-INIT-02", SRC("OpenAMP remoteproc_virtio.c:331-335")),
};

VCF_CATALOGUE_ACCESSORS(rpmsg, VCF_RPMSG_RULE_COUNT, "rpmsg", "RPMsg over virtio");
