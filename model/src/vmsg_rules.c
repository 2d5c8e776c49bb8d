/* SPDX-License-Identifier: MIT */
/*
 * The virtio-msg rule catalogue.
 *
 * The rules come from the virtio-msg transport chapter of the draft VIRTIO specification. PR28
 * (wmamills/virtio-msg-spec, branch bertrand-pr28, 7891b6b) is the reference revision: its
 * labelled normative bullets, numbered P1 to P135 in file order in the research notes, are all
 * covered here. RFC3 (branch virtio-msg-rfc3, 373b68d; same transport-msg.tex line numbers as the
 * d5967a4 copy) shares PR28's wire format; where it states an equivalent rule it is cited as well,
 * and the rules it alone has form the "rfc3 only" topic. The last topic holds rules of the base
 * VIRTIO specification (oasis-tcs/virtio-spec content.tex at 15f488c) that a virtio-msg driver or
 * device must also keep. Every entry keeps the ID of its row in the research notes
 * (virtio-msg-rules.md section 8), except that the bus-message rows lose their BUS- infix
 * (VMSG-BUS-GETDEV-01 is VMSG-GETDEV-01); .seed names the row.
 *
 * Labels drop the common prefix "Virtio Transport Options / Virtio Over Messages / ";
 * "bus:", "drv:" and "dev:" stand for \busnormative, \drivernormative and \devicenormative, and
 * "sec:" marks a section label where the text has no normative block. Several labels are joined
 * with "; ". Short names used in the sources:
 *   PR28 transport-msg.tex  transport-msg.tex at bertrand-pr28 7891b6b ("Pn": its n-th bullet)
 *   RFC3 transport-msg.tex  transport-msg.tex at virtio-msg-rfc3 373b68d
 *   virtio spec content.tex oasis-tcs/virtio-spec content.tex at 15f488c
 *   virtio-msg-rules.md     the research notes: 9 An = ambiguity n, 10 Dn = divergence n
 *
 * Rows split in two, the first part keeping the row's ID: VMSG-DEVNUM-01 (+03), VMSG-FEAT-06 (+07),
 * VMSG-GEN-02 (+08), VMSG-BUS-GETDEV-03 (GETDEV-05), VMSG-BUS-EVDEV-01 (EVDEV-02, -03),
 * VMSG-R3-02 (+14), VMSG-R3-09 (+15), VMSG-BASE-03 (+16), VMSG-BASE-09 (+17).
 * Rows folded into others: VMSG-INFO-04 into VMSG-INFO-02; VMSG-MAND-03 into VMSG-NOTIF-10 and
 * VMSG-R3-09; VMSG-R3-07 into VMSG-R3-05. VMSG-GEN-07 and VMSG-VQ-13, informative or struct-only
 * in PR28, are kept as SHOULD rules.
 * Rows that mix levels otherwise carry their binding level, with the weaker part in the statement.
 */
#include "vconform/vmsg_rules.h"
#include "rules_table.h"

/* One named string per published ID, from the public list, so the table below can point at it. */
#define VCF_VMSG_RULE_ID(name, id) static const char id_##name[] = id;
VCF_VMSG_RULE_LIST(VCF_VMSG_RULE_ID)
#undef VCF_VMSG_RULE_ID

/* Rules that bind a protocol side. lbl is the spec's label (NULL if none), rev the revisions. */
#define RULE(name, lvl, act, asp, top, ttl, stmt, lbl, rev, sd, src)                               \
    [VCF_VMSG_R_##name] = {.id = id_##name,                                                        \
                           .level = lvl,                                                           \
                           .actors = act,                                                          \
                           .aspect = asp,                                                          \
                           .topic = top,                                                           \
                           .title = ttl,                                                           \
                           .statement = stmt,                                                      \
                           .label = lbl,                                                           \
                           .revisions = rev,                                                       \
                           .seed = sd,                                                             \
                           .sources = src}

/* What one implementation does. prof names the model profile that reproduces it, or NULL. */
#define IMPL_RULE(name, act, asp, top, ttl, stmt, stk, prof, rev, sd, src)                         \
    [VCF_VMSG_R_##name] = {.id = id_##name,                                                        \
                           .level = IMPL,                                                          \
                           .actors = act,                                                          \
                           .aspect = asp,                                                          \
                           .topic = top,                                                           \
                           .title = ttl,                                                           \
                           .statement = stmt,                                                      \
                           .stacks = stk,                                                          \
                           .profiles = prof,                                                       \
                           .revisions = rev,                                                       \
                           .seed = sd,                                                             \
                           .sources = src}

static const vcf_rule rules[VCF_VMSG_RULE_COUNT] = {

    /* ---- bus and transport ------------------------------------------------------------------- */
    RULE(BUSMSG_01, SHOULD, BUS, SEND, "bus and transport",
         "bus duties use the defined bus messages",
         "A bus that performs device enumeration, hotplug or health checks with messages should "
         "do so with the bus messages this transport defines for those purposes.",
         "bus:Basic Concepts / Relationship between bus and transport / Bus Messages", "pr28, rfc3",
         "VMSG-BUSMSG-01",
         SRC("virtio-msg PR28 transport-msg.tex L118 (P1)",
             "virtio-msg RFC3 transport-msg.tex L275, L1173 (lower-case should)")),
    RULE(FWD_01, MUST, BUS, RECV, "bus and transport", "transport messages routed by dev_num",
         "The bus delivers each transport message to the device whose number is in the header's "
         "dev_num, no matter how that device was discovered or enumerated.",
         "bus:Basic Concepts / Relationship between bus and transport / Transport Message "
         "Forwarding",
         "pr28, rfc3", "VMSG-FWD-01",
         SRC("virtio-msg PR28 transport-msg.tex L125 (P2)",
             "virtio-msg RFC3 transport-msg.tex L288")),
    RULE(FWD_02, SHOULD, BUS, RECV, "bus and transport", "transport payload left alone",
         "Apart from enforcing generic limits such as the maximum message size, the bus should "
         "not interpret transport messages and should pass their payload on unchanged.",
         "bus:Basic Concepts / Relationship between bus and transport / Transport Message "
         "Forwarding",
         "pr28", "VMSG-FWD-02", SRC("virtio-msg PR28 transport-msg.tex L125 (P3)")),
    RULE(PARAM_01, MUST, BUS, LOCAL, "bus and transport",
         "parameters known before the first message",
         "The bus gives the transport its revision, maximum message size and transport feature "
         "bits before any transport message is exchanged for a device.",
         "bus:Basic Concepts / Revisions / Advertising Transport Parameters", "pr28",
         "VMSG-PARAM-01", SRC("virtio-msg PR28 transport-msg.tex L175 (P4)")),
    RULE(PARAM_02, MUST, BUS, LINK, "bus and transport", "one set of limits for both directions",
         "The bus holds driver-originated and device-originated transport messages to the same "
         "limits, and if those limits change it tells the transport before it accepts any "
         "further message.",
         "bus:Basic Concepts / Revisions / Advertising Transport Parameters", "pr28",
         "VMSG-PARAM-02", SRC("virtio-msg PR28 transport-msg.tex L175 (P5)")),
    RULE(SIZE_01, MUST, DRV, SEND, "bus and transport", "driver messages within the maximum size",
         "The driver never sends a transport message whose total size, header included, exceeds "
         "the maximum message size advertised for the bus instance.",
         "drv:Basic Concepts / Revisions / Driver Limits", "pr28, rfc3", "VMSG-SIZE-01",
         SRC("virtio-msg PR28 transport-msg.tex L185 (P6)",
             "virtio-msg RFC3 transport-msg.tex L135-137")),
    RULE(SIZE_02, MUST, DEV, SEND, "bus and transport", "device messages within the maximum size",
         "No response or device-originated message is larger than the maximum message size "
         "advertised by the bus instance that carries it.",
         "dev:Basic Concepts / Revisions / Device Limits", "pr28, rfc3", "VMSG-SIZE-02",
         SRC("virtio-msg PR28 transport-msg.tex L193 (P8)",
             "virtio-msg RFC3 transport-msg.tex L1279-1282")),
    RULE(SIZE_03, MUST, BUS, LINK, "bus and transport", "maximum message size of at least 44",
         "A bus advertises a maximum message size of 44 bytes or more. SET_VQUEUE requests and "
         "GET_VQUEUE responses are 48 bytes long, so a maximum between 44 and 47 cannot carry "
         "them.",
         "bus:Basic Concepts / Revisions / Message Size", "pr28, rfc3", "VMSG-SIZE-03",
         SRC("virtio-msg PR28 transport-msg.tex L226 (P10)",
             "virtio-msg RFC3 transport-msg.tex L149 (revision table only)",
             "virtio-msg-rules.md 9 A1")),
    RULE(SIZE_04, SHOULD, BUS, LINK, "bus and transport", "maximum message size not above 264",
         "A bus should not advertise a maximum message size above 264 bytes. That bound is too "
         "small for a GET_CONFIG response carrying 256 configuration bytes, which takes 276.",
         "bus:Basic Concepts / Revisions / Message Size", "pr28", "VMSG-SIZE-04",
         SRC("virtio-msg PR28 transport-msg.tex L226 (P11)", "virtio-msg-rules.md 9 A1")),
    RULE(REV_01, MUST, DRV, SEND, "bus and transport", "no reliance on a higher revision",
         "The driver does not depend on transport features or messages that need a higher "
         "transport revision than the one the bus instance reports.",
         "drv:Basic Concepts / Revisions / Driver Limits", "pr28, rfc3", "VMSG-REV-01",
         SRC("virtio-msg PR28 transport-msg.tex L185 (P7)",
             "virtio-msg RFC3 transport-msg.tex L137-139")),
    RULE(REV_02, MUST, DEV, RECV, "bus and transport", "device stays within the reported revision",
         "The device needs no transport feature or message beyond the revision the bus reports, "
         "and it answers a request for an unsupported feature with an error or ignores it; with "
         "no error message defined, ignoring it is what is left.",
         "dev:Basic Concepts / Revisions / Device Limits", "pr28", "VMSG-REV-02",
         SRC("virtio-msg PR28 transport-msg.tex L193 (P9)", "virtio-msg-rules.md 9 A3")),
    RULE(REV_03, MUST, DRV, LOCAL, "bus and transport", "driver covers every earlier revision",
         "A driver that negotiates transport revision N implements the mandatory driver "
         "behaviour of every revision from 1 to N.",
         "drv:Basic Concepts / Versioning and Forward Compatibility / Driver", "pr28",
         "VMSG-REV-03", SRC("virtio-msg PR28 transport-msg.tex L242 (P12)")),
    RULE(REV_04, MUST, DRV, RECV, "bus and transport", "unsupported device messages not acted on",
         "A device message or feature indication that needs a revision or transport feature the "
         "driver lacks is ignored, or the request it belongs to counts as failed; the driver "
         "never acts on data it only partly understands.",
         "drv:Basic Concepts / Versioning and Forward Compatibility / Driver", "pr28",
         "VMSG-REV-04", SRC("virtio-msg PR28 transport-msg.tex L242 (P13)")),
    RULE(REV_05, MUST, DEV, LOCAL, "bus and transport", "device covers every earlier revision",
         "A device that advertises transport revision N implements the mandatory device "
         "behaviour of every revision from 1 to N.",
         "dev:Basic Concepts / Versioning and Forward Compatibility / Device", "pr28",
         "VMSG-REV-05", SRC("virtio-msg PR28 transport-msg.tex L252 (P14)")),
    RULE(REV_06, MUST, DEV, RECV, "bus and transport", "unsupported requests rejected or ignored",
         "A driver request that relies on a revision or transport feature the device does not "
         "support is rejected through the message's own error indication, if it has one, or "
         "silently dropped.",
         "dev:Basic Concepts / Versioning and Forward Compatibility / Device", "pr28",
         "VMSG-REV-06", SRC("virtio-msg PR28 transport-msg.tex L252 (P15)")),
    RULE(REV_07, MUST, BUS, LOCAL, "bus and transport", "bus covers every earlier revision",
         "A bus instance that advertises transport revision N meets every bus requirement of "
         "the revisions from 1 to N.",
         "bus:Basic Concepts / Versioning and Forward Compatibility / Bus", "pr28", "VMSG-REV-07",
         SRC("virtio-msg PR28 transport-msg.tex L261 (P16)")),
    RULE(REV_08, MUST, BUS, RECV, "bus and transport", "unforwardable messages reported or dropped",
         "A message the bus cannot forward because it needs an unsupported revision or "
         "transport feature is either reported to the transport as an error or dropped, and "
         "never forwarded.",
         "bus:Basic Concepts / Versioning and Forward Compatibility / Bus", "pr28", "VMSG-REV-08",
         SRC("virtio-msg PR28 transport-msg.tex L261 (P17)")),
    RULE(DEVNUM_01, MUST, BUS, LOCAL, "bus and transport", "unique device numbers",
         "The bus gives every device on a bus instance a device number of its own; no two "
         "devices on one instance share a number.",
         "bus:Basic Concepts / Device Numbers / Assignment", "pr28", "VMSG-DEVNUM-01",
         SRC("virtio-msg PR28 transport-msg.tex L289 (P18)")),
    RULE(DEVNUM_02, SHOULD, BUS, SEND, "bus and transport", "valid device numbers discoverable",
         "The bus should give the driver enough information, through GET_DEVICES or platform "
         "data, to find every valid device number.",
         "bus:Basic Concepts / Device Numbers / Assignment", "pr28", "VMSG-DEVNUM-02",
         SRC("virtio-msg PR28 transport-msg.tex L289 (P19)")),
    RULE(DEVNUM_03, MUST, BUS, RECV, "bus and transport",
         "nothing forwarded to unvalidated numbers",
         "The bus does not forward a transport message addressed to a device number it has not "
         "validated.",
         "bus:Basic Concepts / Device Numbers / Assignment", "pr28", "VMSG-DEVNUM-01",
         SRC("virtio-msg PR28 transport-msg.tex L289 (P18)", "virtio-msg-rules.md 11 E5")),
    /* ---- header and errors ------------------------------------------------------------------- */
    RULE(END_01, MUST, DRV, LINK, "header and errors", "little-endian fields (driver)",
         "The driver encodes and decodes every header and payload field of this transport in "
         "little-endian byte order.",
         "drv:Basic Concepts / Endianness / Driver", "pr28, rfc3", "VMSG-END-01",
         SRC("virtio-msg PR28 transport-msg.tex L402 (P31)",
             "virtio-msg RFC3 transport-msg.tex L299")),
    RULE(END_02, MUST, DEV, LINK, "header and errors", "little-endian fields (device)",
         "The device encodes and decodes every header and payload field of this transport in "
         "little-endian byte order.",
         "dev:Basic Concepts / Endianness / Device", "pr28, rfc3", "VMSG-END-02",
         SRC("virtio-msg PR28 transport-msg.tex L408 (P32)",
             "virtio-msg RFC3 transport-msg.tex L299")),
    RULE(HDR_01, MUST, DRV, SEND, "header and errors", "reserved type bits (driver)",
         "The driver sends bits 2 to 7 of type as zero, and when parsing a received header it "
         "treats those bits as reserved rather than as part of the message type.",
         "drv:Basic Concepts / Common Message Format / Driver", "pr28, rfc3", "VMSG-HDR-01",
         SRC("virtio-msg PR28 transport-msg.tex L457 (P33)",
             "virtio-msg RFC3 transport-msg.tex L327")),
    RULE(HDR_02, MUST, DRV, SEND, "header and errors", "msg_size covers the whole message (driver)",
         "The driver sets msg_size to the length of the whole message, header plus payload, and "
         "keeps it within the maximum the bus advertises. RFC3 also states the lower bound of "
         "8.",
         "drv:Basic Concepts / Common Message Format / Driver", "pr28, rfc3", "VMSG-HDR-02",
         SRC("virtio-msg PR28 transport-msg.tex L457 (P34)",
             "virtio-msg RFC3 transport-msg.tex L339-341")),
    RULE(HDR_03, MUST, DRV, SEND, "header and errors", "dev_num names the target device",
         "In every transport message it sends, the driver puts the number of the device it "
         "addresses in dev_num.",
         "drv:Basic Concepts / Common Message Format / Driver", "pr28", "VMSG-HDR-03",
         SRC("virtio-msg PR28 transport-msg.tex L457 (P35)")),
    RULE(HDR_04, MUST, DRV, SEND, "header and errors", "driver padding is zero",
         "Padding bytes that the driver introduces and that become part of the transport "
         "payload are all zero.",
         "drv:Basic Concepts / Common Message Format / Driver", "pr28", "VMSG-HDR-04",
         SRC("virtio-msg PR28 transport-msg.tex L457 (P36)")),
    RULE(HDR_05, MUST, DRV, RECV, "header and errors", "token opaque to the driver",
         "The driver treats token as opaque: nothing it does with a received message depends on "
         "the token's value. RFC3 instead has the driver choose and match tokens (VMSG-R3-01).",
         "drv:Basic Concepts / Common Message Format / Driver", "pr28", "VMSG-HDR-05",
         SRC("virtio-msg PR28 transport-msg.tex L457 (P37)", "virtio-msg-rules.md 9 A13")),
    RULE(HDR_06, MUST, DEV, SEND, "header and errors", "reserved type bits (device)",
         "The device sends bits 2 to 7 of type as zero and ignores them in the messages it "
         "receives.",
         "dev:Basic Concepts / Common Message Format / Device", "pr28, rfc3", "VMSG-HDR-06",
         SRC("virtio-msg PR28 transport-msg.tex L472 (P38)",
             "virtio-msg RFC3 transport-msg.tex L327")),
    RULE(HDR_07, MUST, DEV, SEND, "header and errors", "msg_size covers the whole message (device)",
         "The device sets msg_size to the length of the whole message, header plus payload, and "
         "keeps it within the maximum the bus advertises.",
         "dev:Basic Concepts / Common Message Format / Device", "pr28, rfc3", "VMSG-HDR-07",
         SRC("virtio-msg PR28 transport-msg.tex L472 (P39)",
             "virtio-msg RFC3 transport-msg.tex L339-341")),
    RULE(HDR_08, MUST, DEV, SEND, "header and errors", "device sends its own number",
         "In every transport message it sends, responses and events alike, the device puts its "
         "own device number in dev_num.",
         "dev:Basic Concepts / Common Message Format / Device", "pr28", "VMSG-HDR-08",
         SRC("virtio-msg PR28 transport-msg.tex L472 (P40)")),
    RULE(HDR_09, MUST, DEV, RECV, "header and errors", "bus padding ignored, own padding zero",
         "The device ignores padding bytes documented as bus-specific, and any such bytes it "
         "adds to a transport payload itself are zero.",
         "dev:Basic Concepts / Common Message Format / Device", "pr28, rfc3", "VMSG-HDR-09",
         SRC("virtio-msg PR28 transport-msg.tex L472 (P41)",
             "virtio-msg RFC3 transport-msg.tex L342-344")),
    RULE(HDR_10, MUST, DEV, RECV, "header and errors", "token opaque to the device",
         "The device treats token as opaque and never bases its handling of a received message "
         "on the token's value. RFC3 instead has responses echo the request's token "
         "(VMSG-R3-01).",
         "dev:Basic Concepts / Common Message Format / Device", "pr28", "VMSG-HDR-10",
         SRC("virtio-msg PR28 transport-msg.tex L472 (P42)", "virtio-msg-rules.md 9 A13")),
    RULE(HDR_11, MUST, BUS, SEND, "header and errors", "bus messages carry dev_num 0",
         "The bus delivers bus messages with dev_num 0, and alters the dev_num of a transport "
         "message only as far as routing it to the addressed device requires.",
         "bus:Basic Concepts / Common Message Format / Bus", "pr28, rfc3", "VMSG-HDR-11",
         SRC("virtio-msg PR28 transport-msg.tex L486 (P43)",
             "virtio-msg RFC3 transport-msg.tex L334-335")),
    RULE(HDR_12, MUST, BUS, SEND, "header and errors", "reserved type bits (bus)",
         "The bus sets bits 2 to 7 of type to zero in the bus messages it generates, and "
         "ignores those bits in the transport messages it forwards.",
         "bus:Basic Concepts / Common Message Format / Bus", "pr28, rfc3", "VMSG-HDR-12",
         SRC("virtio-msg PR28 transport-msg.tex L486 (P44)",
             "virtio-msg RFC3 transport-msg.tex L327")),
    RULE(HDR_13, MUST, BUS, SEND, "header and errors", "framing bytes are zero",
         "Framing or padding bytes that the bus adds around the header or payload are zero in "
         "both directions, whichever side reads the message.",
         "bus:Basic Concepts / Common Message Format / Bus", "pr28, rfc3", "VMSG-HDR-13",
         SRC("virtio-msg PR28 transport-msg.tex L486 (P45)",
             "virtio-msg RFC3 transport-msg.tex L342-344")),
    RULE(HDR_14, MUST, BUS, LINK, "header and errors", "token owned by the bus",
         "The token field belongs to the bus, which may write or overwrite it to correlate "
         "requests with responses, but whatever it does there stays invisible to driver and "
         "device.",
         "bus:Basic Concepts / Common Message Format / Bus", "pr28", "VMSG-HDR-14",
         SRC("virtio-msg PR28 transport-msg.tex L486 (P46)")),
    RULE(HDR_15, MUST, ALL, LINK, "header and errors", "reserved header values",
         "Reserved header bits and header values without a defined meaning are sent as zero and "
         "ignored by whoever receives them.",
         "sec:Basic Concepts / Common Message Format", "pr28, rfc3", "VMSG-HDR-15",
         SRC("virtio-msg PR28 transport-msg.tex L503",
             "virtio-msg RFC3 transport-msg.tex L347-349")),
    IMPL_RULE(HDR_16, DRV, RECV, "header and errors",
              "Linux drops events with reserved type bits set",
              "The 2026 Linux virtio-msg transport drops an event whose type byte is not exactly "
              "0x00, where the specification has bits 2 to 7 ignored and the event handled.",
              "linux", "linux", "pr28", "D6",
              SRC("vireshk/linux-bkp drivers/virtio/virtio_msg_transport.c (2026, Step 8)",
                  "virtio-msg-rules.md 10 D6")),
    IMPL_RULE(HDR_17, BUS, SEND, "header and errors",
              "QEMU bus messages with a device number and token 0",
              "The QEMU bus puts the device number in the header of EVENT_DEVICE, where 0 is "
              "required, and answers GET_DEVICES and PING with token 0 instead of the request's "
              "token.",
              "qemu", "qemu", "rfc3", "D10",
              SRC("edgarigl/qemu include/hw/virtio/virtio-msg-prot.h @ead9d3b",
                  "virtio-msg-rules.md 10 D10")),
    RULE(ERR_01, MAY, BUS, LOCAL, "header and errors", "delivery failures reported locally",
         "When it cannot deliver a request or get a response, for example once a bounded retry "
         "policy is exhausted, the bus may report a failure to the transport on its own side.",
         "bus:Basic Concepts / Error Signaling / Bus", "pr28, rfc3", "VMSG-ERR-01",
         SRC("virtio-msg PR28 transport-msg.tex L370 (P26)",
             "virtio-msg RFC3 transport-msg.tex L245-247")),
    RULE(ERR_02, MUST, BUS, RECV, "header and errors", "invalid messages discarded by the bus",
         "The bus treats a message with a malformed header or an unsupported msg_id as invalid "
         "and discards it without sending anything in reply; it may log the event. RFC3 makes "
         "the discard a SHOULD (VMSG-R3-05).",
         "bus:Basic Concepts / Error Signaling / Bus", "pr28", "VMSG-ERR-02",
         SRC("virtio-msg PR28 transport-msg.tex L370 (P27)")),
    RULE(ERR_03, MUST, BUS, SEND, "header and errors", "no error replies to events",
         "The bus never answers an event, a one-way message, with an error response.",
         "bus:Basic Concepts / Error Signaling / Bus", "pr28, rfc3", "VMSG-ERR-03",
         SRC("virtio-msg PR28 transport-msg.tex L370 (P28)",
             "virtio-msg RFC3 transport-msg.tex L251")),
    RULE(ERR_04, MUST, DEV, RECV, "header and errors", "invalid messages discarded by the device",
         "The device discards a malformed or unsupported transport message without sending "
         "anything in reply.",
         "dev:Basic Concepts / Error Signaling / Device", "pr28", "VMSG-ERR-04",
         SRC("virtio-msg PR28 transport-msg.tex L382 (P29)", "virtio-msg-rules.md 9 A3")),
    RULE(ERR_05, MUST, DEV, LOCAL, "header and errors", "recovery within the reset rules",
         "Whatever the device does to recover from an error, such as retrying, a selective "
         "reset or removal, follows the reset and status rules of device operation.",
         "dev:Basic Concepts / Error Signaling / Device", "pr28, rfc3", "VMSG-ERR-05",
         SRC("virtio-msg PR28 transport-msg.tex L382 (P30)",
             "virtio-msg RFC3 transport-msg.tex L252-255")),
    IMPL_RULE(
        ERR_06, DEV, SEND, "header and errors", "OP-TEE answers messages it should drop",
        "The OP-TEE device answers malformed or unknown messages with a zeroed null response "
        "instead of discarding them, and answers EVENT_AVAIL with a transport response.",
        "op-tee", "optee", "pr28", "D13",
        SRC("qc-azarrabi/optee_os_upstream core/drivers/virtio/virtio_msg.c (index lists eb157ed)",
            "virtio-msg-rules.md 10 D13")),
    RULE(ORD_01, MUST, BUS, SEND, "header and errors", "responses in request order",
         "For each device number, the bus hands responses to the driver in the order in which "
         "it forwarded the matching requests to the device.",
         "bus:Basic Concepts / Ordering / Bus", "pr28", "VMSG-ORD-01",
         SRC("virtio-msg PR28 transport-msg.tex L514 (P47)")),
    RULE(ORD_02, MUST, BUS, SEND, "header and errors", "exactly one response per request",
         "Every request the bus forwards to a device leads to exactly one response delivered to "
         "the driver; events lead to none. For a request the device discards, only a failure "
         "the bus reports locally can take that place.",
         "bus:Basic Concepts / Ordering / Bus", "pr28", "VMSG-ORD-02",
         SRC("virtio-msg PR28 transport-msg.tex L514 (P48)", "virtio-msg-rules.md 9 A3")),
    /* ---- initialisation and features --------------------------------------------------------- */
    RULE(DISC_01, MUST, BUS, LOCAL, "initialisation and features",
         "exposed device numbers are validated",
         "Every device number the bus exposes to the driver has first been validated, through "
         "platform data or a successful query such as GET_DEVICES.",
         "bus:Device Discovery / Bus", "pr28", "VMSG-DISC-01",
         SRC("virtio-msg PR28 transport-msg.tex L537 (P49)")),
    RULE(DISC_02, SHOULD, BUS, SEND, "initialisation and features",
         "device info fetched on discovery",
         "Once a device number is known to be present, the bus should send GET_DEVICE_INFO and "
         "register the device with the host OS so that a driver can bind to it.",
         "bus:Device Discovery / Bus", "pr28, rfc3", "VMSG-DISC-02",
         SRC("virtio-msg PR28 transport-msg.tex L537 (P50)",
             "virtio-msg RFC3 transport-msg.tex L405-408")),
    RULE(DISC_03, MAY, BUS, LOCAL, "initialisation and features", "enumeration without GET_DEVICES",
         "A bus that enumerates devices by other means, such as ACPI or a device tree, may do "
         "without GET_DEVICES provided the driver gets equivalent information.",
         "bus:Device Discovery / Bus", "pr28, rfc3", "VMSG-DISC-03",
         SRC("virtio-msg PR28 transport-msg.tex L537 (P51)",
             "virtio-msg RFC3 transport-msg.tex L403-405")),
    RULE(INIT_01, MUST, DRV, SEND, "initialisation and features", "device info first",
         "The driver sends GET_DEVICE_INFO before it starts feature negotiation or sets up any "
         "virtqueue. RFC3 only recommends this (SHOULD).",
         "drv:Device Initialization / Overview / Driver; drv:Device Initialization / Device "
         "Information / Driver",
         "pr28", "VMSG-INIT-01",
         SRC("virtio-msg PR28 transport-msg.tex L584, L610 (P52, P56)",
             "virtio-msg RFC3 transport-msg.tex L516 (SHOULD)")),
    RULE(INIT_02, MUST, DRV, SEND, "initialisation and features", "features settled before queues",
         "The driver completes feature negotiation with GET_DEVICE_FEATURES and "
         "SET_DRIVER_FEATURES, and has FEATURES_OK confirmed through SET_DEVICE_STATUS, before "
         "it enables any virtqueue.",
         "drv:Device Initialization / Overview / Driver", "pr28", "VMSG-INIT-02",
         SRC("virtio-msg PR28 transport-msg.tex L584 (P53)")),
    RULE(INIT_03, MUST, DRV, SEND, "initialisation and features", "queues checked before use",
         "The driver programs each virtqueue with SET_VQUEUE and checks the result, for example "
         "with GET_VQUEUE, before it marks the queue ready for I/O.",
         "drv:Device Initialization / Overview / Driver", "pr28", "VMSG-INIT-03",
         SRC("virtio-msg PR28 transport-msg.tex L584 (P54)")),
    RULE(INIT_04, MUST, DRV, SEND, "initialisation and features",
         "status driven with SET_DEVICE_STATUS",
         "The driver moves the device through its status states with SET_DEVICE_STATUS and "
         "starts normal I/O only once the device has reached DRIVER_OK.",
         "drv:Device Initialization / Overview / Driver", "pr28", "VMSG-INIT-04",
         SRC("virtio-msg PR28 transport-msg.tex L584 (P55)")),
    RULE(INFO_01, MUST, DRV, SEND, "initialisation and features",
         "config_size bounds config accesses",
         "The driver uses the configuration size reported by GET_DEVICE_INFO as the bound for "
         "every offset and length it puts in GET_CONFIG and SET_CONFIG requests.",
         "drv:Device Initialization / Device Information / Driver", "pr28, rfc3", "VMSG-INFO-01",
         SRC("virtio-msg PR28 transport-msg.tex L610 (P57)",
             "virtio-msg RFC3 transport-msg.tex L1306-1309")),
    RULE(INFO_02, MUST, DEV, SEND, "initialisation and features", "device info always answered",
         "The device answers GET_DEVICE_INFO even while inactive, when it is the only transport "
         "message allowed, with consistent device ID, vendor ID, feature count (a multiple of "
         "32), configuration size and virtqueue limits. RFC3 wants an all-zero answer from an "
         "inactive device; neither revision defines inactive.",
         "dev:Transport Messages / VIRTIO_MSG_GET_DEVICE_INFO / Device", "pr28, rfc3",
         "VMSG-INFO-02",
         SRC("virtio-msg PR28 transport-msg.tex L1060 (P107)",
             "virtio-msg PR28 transport-msg.tex L1041 (folded VMSG-INFO-04)",
             "virtio-msg RFC3 transport-msg.tex L863-866", "virtio-msg-rules.md 9 A2")),
    RULE(INFO_03, SHOULD, DRV, RECV, "initialisation and features", "device info is authoritative",
         "The driver should take the feature count, configuration size and virtqueue limits in "
         "the GET_DEVICE_INFO response as authoritative before it goes on with initialisation.",
         "drv:Transport Messages / VIRTIO_MSG_GET_DEVICE_INFO / Driver", "pr28", "VMSG-INFO-03",
         SRC("virtio-msg PR28 transport-msg.tex L1067 (P108)")),
    RULE(FEAT_01, MUST, DEV, SEND, "initialisation and features",
         "unimplemented feature bits are zero",
         "In a GET_DEVICE_FEATURES response, every bit beyond the features the device "
         "implements is zero, including whole blocks past its last one.",
         "dev:Basic Concepts / Feature Blocks / Device; dev:Device Initialization / Device "
         "Features / Device; dev:Transport Messages / VIRTIO_MSG_GET_DEVICE_FEATURES / Device",
         "pr28, rfc3", "VMSG-FEAT-01",
         SRC("virtio-msg PR28 transport-msg.tex L354, L640, L1093 (P25, P60, P109)",
             "virtio-msg RFC3 transport-msg.tex L230-231, L560-562")),
    RULE(FEAT_02, MUST, DRV, SEND, "initialisation and features",
         "only wanted features written back",
         "The driver learns the offered bits with GET_DEVICE_FEATURES and sets in "
         "SET_DRIVER_FEATURES only the bits of features it intends to enable.",
         "drv:Device Initialization / Device Features / Driver; drv:Transport Messages / "
         "VIRTIO_MSG_SET_DRIVER_FEATURES / Driver",
         "pr28", "VMSG-FEAT-02", SRC("virtio-msg PR28 transport-msg.tex L630, L1124 (P58, P111)")),
    RULE(FEAT_03, MUST, DRV, RECV, "initialisation and features",
         "feature acceptance checked in the response",
         "After writing its features, the driver tries to set FEATURES_OK with "
         "SET_DEVICE_STATUS and checks the status returned in the response to learn whether the "
         "device accepted them.",
         "drv:Device Initialization / Device Features / Driver", "pr28", "VMSG-FEAT-03",
         SRC("virtio-msg PR28 transport-msg.tex L630 (P59)")),
    RULE(FEAT_04, MUST, DEV, SEND, "initialisation and features",
         "acceptance shown through FEATURES_OK",
         "After SET_DRIVER_FEATURES the device updates its internal feature mask to the "
         "acknowledged set, and shows acceptance or refusal by keeping or clearing FEATURES_OK "
         "in the status it returns for SET_DEVICE_STATUS.",
         "dev:Device Initialization / Device Features / Device", "pr28", "VMSG-FEAT-04",
         SRC("virtio-msg PR28 transport-msg.tex L640 (P61)")),
    RULE(FEAT_05, MUST, DRV, RECV, "initialisation and features",
         "feature data read as 32-bit blocks",
         "The driver reads GET_DEVICE_FEATURES data as 32-bit blocks starting at the block "
         "index it asked for, taking missing blocks as zero, before it chooses features.",
         "drv:Transport Messages / VIRTIO_MSG_GET_DEVICE_FEATURES / Driver", "pr28", "VMSG-FEAT-05",
         SRC("virtio-msg PR28 transport-msg.tex L1099 (P110)")),
    RULE(FEAT_06, MUST, DEV, LOCAL, "initialisation and features", "acknowledged features recorded",
         "After SET_DRIVER_FEATURES the device takes the supplied bits as its acknowledged "
         "feature set and reports that set consistently in later GET_DEVICE_FEATURES responses. "
         "Whether those responses then show the offered or the acknowledged bits is disputed.",
         "dev:Transport Messages / VIRTIO_MSG_SET_DRIVER_FEATURES / Device", "pr28", "VMSG-FEAT-06",
         SRC("virtio-msg PR28 transport-msg.tex L1130 (P112)", "virtio-msg-rules.md 9 A4")),
    RULE(FEAT_07, SHOULD, DEV, SEND, "initialisation and features",
         "unsupported feature set clears FEATURES_OK",
         "A device that cannot support the feature set the driver wrote should clear "
         "FEATURES_OK in its device status. RFC3 makes this a MUST: the device does not allow "
         "FEATURES_OK at all.",
         "dev:Transport Messages / VIRTIO_MSG_SET_DRIVER_FEATURES / Device", "pr28, rfc3",
         "VMSG-FEAT-06",
         SRC("virtio-msg PR28 transport-msg.tex L1130 (P112)",
             "virtio-msg RFC3 transport-msg.tex L909-911")),
    IMPL_RULE(
        FEAT_08, DEV, RECV, "initialisation and features", "QEMU never refuses FEATURES_OK",
        "The QEMU device takes on whatever status SET_DEVICE_STATUS asks for, so it never "
        "refuses FEATURES_OK, whatever features were written.",
        "qemu", "qemu", "rfc3", "D11",
        SRC("edgarigl/qemu hw/virtio/virtio-msg.c (latest seen)", "virtio-msg-rules.md 10 D11")),
    /* ---- configuration ----------------------------------------------------------------------- */
    RULE(GEN_01, MUST, DEV, SEND, "configuration", "generation moves before each change",
         "The device increments the configuration generation before it makes any change the "
         "driver can see, and no two EVENT_CONFIG messages that carry configuration data share "
         "a generation.",
         "dev:Basic Concepts / Configuration Generation Count / Device", "pr28, rfc3",
         "VMSG-GEN-01",
         SRC("virtio-msg PR28 transport-msg.tex L310 (P20)",
             "virtio-msg RFC3 transport-msg.tex L194-196")),
    RULE(GEN_02, SHOULD, DEV, SEND, "configuration", "oversized changes announced with length 0",
         "When changed configuration data does not fit in one EVENT_CONFIG, the device should "
         "send an EVENT_CONFIG with data length 0 that carries the new generation.",
         "dev:Basic Concepts / Configuration Generation Count / Device", "pr28, rfc3",
         "VMSG-GEN-02",
         SRC("virtio-msg PR28 transport-msg.tex L310 (P21)",
             "virtio-msg RFC3 transport-msg.tex L191-193")),
    RULE(GEN_03, MUST, DEV, RECV, "configuration", "stale SET_CONFIG rejected",
         "The device rejects a SET_CONFIG whose generation differs from its current generation.",
         "dev:Basic Concepts / Configuration Generation Count / Device; dev:Device "
         "Initialization / Device Configuration / Device; dev:Transport Messages / "
         "VIRTIO_MSG_SET_CONFIG / Device",
         "pr28, rfc3", "VMSG-GEN-03",
         SRC("virtio-msg PR28 transport-msg.tex L310, L671, L1202 (P22, P64, P116)",
             "virtio-msg RFC3 transport-msg.tex L201-203, L590-591")),
    RULE(GEN_04, MUST, DEV, SEND, "configuration", "rejection shown in the response",
         "The device reports a rejected SET_CONFIG in its response, where the response layout "
         "has the length field set to 0.",
         "dev:Device Initialization / Device Configuration / Device; dev:Transport Messages / "
         "VIRTIO_MSG_SET_CONFIG / Device",
         "pr28, rfc3", "VMSG-GEN-04",
         SRC("virtio-msg PR28 transport-msg.tex L671, L1202 (P64, P116)",
             "virtio-msg RFC3 transport-msg.tex L591, L948", "virtio-msg-rules.md 9 A5")),
    RULE(GEN_05, MUST, DRV, SEND, "configuration", "latest generation in every SET_CONFIG",
         "The driver keeps track of the latest generation seen in EVENT_CONFIG or GET_CONFIG "
         "and puts it in every SET_CONFIG request.",
         "drv:Basic Concepts / Configuration Generation Count / Driver; drv:Device "
         "Initialization / Device Configuration / Driver; drv:Transport Messages / "
         "VIRTIO_MSG_SET_CONFIG / Driver",
         "pr28", "VMSG-GEN-05",
         SRC("virtio-msg PR28 transport-msg.tex L325, L660, L1195 (P23, P63, P115)")),
    RULE(GEN_06, SHOULD, DRV, SEND, "configuration", "fresh read after a rejection",
         "After a SET_CONFIG is rejected for a generation mismatch, the driver should fetch the "
         "current data and generation with GET_CONFIG before it tries again.",
         "drv:Basic Concepts / Configuration Generation Count / Driver; drv:Device "
         "Initialization / Device Configuration / Driver",
         "pr28, rfc3", "VMSG-GEN-06",
         SRC("virtio-msg PR28 transport-msg.tex L325, L660 (P24, P63)",
             "virtio-msg RFC3 transport-msg.tex L204-208, L592-593")),
    RULE(GEN_07, SHOULD, DEV, LOCAL, "configuration", "generation kept across device reset",
         "A device should not set its generation back to 0 when it is reset, and its first "
         "value need not be 0 either. PR28 states this only as a description.",
         "sec:Basic Concepts / Configuration Generation Count", "rfc3", "VMSG-GEN-07",
         SRC("virtio-msg RFC3 transport-msg.tex L197-198",
             "virtio-msg PR28 transport-msg.tex L306-308 (informative)")),
    RULE(GEN_08, MUST, DEV, SEND, "configuration", "oversized changes readable with GET_CONFIG",
         "When changed configuration data does not fit in one EVENT_CONFIG, the device makes "
         "the new data readable through GET_CONFIG.",
         "dev:Basic Concepts / Configuration Generation Count / Device", "pr28", "VMSG-GEN-02",
         SRC("virtio-msg PR28 transport-msg.tex L310 (P21)")),
    IMPL_RULE(
        GEN_09, DEV, RECV, "configuration", "QEMU ignores the SET_CONFIG generation",
        "The QEMU device applies every SET_CONFIG without comparing its generation with the "
        "current one, so stale writes are never rejected.",
        "qemu", "qemu", "rfc3", "D11",
        SRC("edgarigl/qemu hw/virtio/virtio-msg.c (latest seen)", "virtio-msg-rules.md 10 D11")),
    RULE(CFG_01, MUST, DRV, SEND, "configuration", "config accesses within config_size",
         "The offset and length of every GET_CONFIG and SET_CONFIG request the driver sends lie "
         "within the configuration size reported by GET_DEVICE_INFO.",
         "drv:Device Initialization / Device Configuration / Driver; drv:Transport Messages / "
         "VIRTIO_MSG_GET_CONFIG / Driver; drv:Transport Messages / VIRTIO_MSG_SET_CONFIG / "
         "Driver",
         "pr28, rfc3", "VMSG-CFG-01",
         SRC("virtio-msg PR28 transport-msg.tex L660, L1159, L1195 (P62, P113, P115)",
             "virtio-msg RFC3 transport-msg.tex L1306-1309")),
    RULE(CFG_02, MUST, DEV, SEND, "configuration", "generation in every GET_CONFIG response",
         "Every GET_CONFIG response the device sends carries its current configuration "
         "generation.",
         "dev:Device Initialization / Device Configuration / Device; dev:Transport Messages / "
         "VIRTIO_MSG_GET_CONFIG / Device",
         "pr28", "VMSG-CFG-02", SRC("virtio-msg PR28 transport-msg.tex L671, L1165 (P65, P114)")),
    RULE(CFG_03, MAY, DRV, SEND, "configuration", "configuration writes after initialisation",
         "The driver may write configuration with SET_CONFIG after initialisation, giving the "
         "current generation and applying the same checks as during setup.",
         "drv:Device Operation / Configuration Changes During Operation / Driver", "pr28, rfc3",
         "VMSG-CFG-03",
         SRC("virtio-msg PR28 transport-msg.tex L853 (P92)",
             "virtio-msg RFC3 transport-msg.tex L723-725")),
    RULE(CFG_04, SHOULD, DRV, RECV, "configuration", "view refreshed on EVENT_CONFIG",
         "On EVENT_CONFIG the driver should bring its view of the configuration up to date, "
         "from the data carried or else with GET_CONFIG, before relying on it or resuming I/O.",
         "drv:Device Operation / Configuration Changes During Operation / Driver; drv:Device "
         "Operation / Device Notifications / Driver; drv:Transport Messages / "
         "VIRTIO_MSG_EVENT_CONFIG / Driver",
         "pr28, rfc3", "VMSG-CFG-04",
         SRC("virtio-msg PR28 transport-msg.tex L853, L825, L1403 (P93, P88, P126)",
             "virtio-msg RFC3 transport-msg.tex L702-703", "virtio-msg-rules.md 9 A6")),
    RULE(CFG_05, MUST, DEV, SEND, "configuration", "runtime changes announced",
         "A device that changes its configuration after initialisation sends EVENT_CONFIG "
         "carrying the new generation.",
         "dev:Device Operation / Configuration Changes During Operation / Device", "pr28, rfc3",
         "VMSG-CFG-05",
         SRC("virtio-msg PR28 transport-msg.tex L863 (P94)",
             "virtio-msg RFC3 transport-msg.tex L725-727")),
    /* ---- status and reset -------------------------------------------------------------------- */
    RULE(STATUS_01, SHOULD, DRV, SEND, "status and reset", "status read when in doubt",
         "The driver should read the status with GET_DEVICE_STATUS when it diagnoses an error "
         "or needs to know whether the device is ready for the next initialisation step. RFC3 "
         "only allows this.",
         "drv:Device Initialization / Status Information / Driver", "pr28", "VMSG-STATUS-01",
         SRC("virtio-msg PR28 transport-msg.tex L720 (P71)",
             "virtio-msg RFC3 transport-msg.tex L625 (MAY)")),
    RULE(STATUS_02, MUST, DRV, SEND, "status and reset", "status changes through SET_DEVICE_STATUS",
         "The driver moves the device through the virtio status states with SET_DEVICE_STATUS, "
         "and asks for a reset by writing 0 with it.",
         "drv:Device Initialization / Status Information / Driver; drv:Transport Messages / "
         "VIRTIO_MSG_SET_DEVICE_STATUS / Driver",
         "pr28", "VMSG-STATUS-02",
         SRC("virtio-msg PR28 transport-msg.tex L720, L1249 (P72, P118)")),
    RULE(STATUS_03, MUST, DRV, SEND, "status and reset", "status re-read to confirm a write",
         "When the driver needs to confirm that a status write took effect, it reads the status "
         "again, for example with GET_DEVICE_STATUS.",
         "drv:Transport Messages / VIRTIO_MSG_SET_DEVICE_STATUS / Driver", "pr28", "VMSG-STATUS-03",
         SRC("virtio-msg PR28 transport-msg.tex L1249 (P118)")),
    RULE(STATUS_04, MUST, DEV, RECV, "status and reset", "writing 0 resets the device",
         "A SET_DEVICE_STATUS of 0 makes the device reset its internal state, drop its "
         "configuration and virtqueue settings and any pending virtqueue work, and report "
         "status 0.",
         "dev:Device Initialization / Status Information / Device; dev:Device Operation / Reset "
         "/ Device",
         "pr28, rfc3", "VMSG-STATUS-04",
         SRC("virtio-msg PR28 transport-msg.tex L730, L915 (P73, P101)",
             "virtio-msg RFC3 transport-msg.tex L1299-1301")),
    RULE(STATUS_05, MUST, DEV, SEND, "status and reset", "status reported accurately",
         "GET_DEVICE_STATUS returns the device's actual current status, including whether "
         "FEATURES_OK was accepted or cleared and whether DEVICE_NEEDS_RESET is set.",
         "dev:Device Initialization / Status Information / Device; dev:Transport Messages / "
         "VIRTIO_MSG_GET_DEVICE_STATUS / Device",
         "pr28", "VMSG-STATUS-05",
         SRC("virtio-msg PR28 transport-msg.tex L730, L1225 (P74, P117)",
             "virtio-msg-rules.md 9 A12")),
    RULE(STATUS_06, MUST, DEV, SEND, "status and reset", "resulting status in the status response",
         "The SET_DEVICE_STATUS response carries the status the device actually ended up with, "
         "which may differ from the one written when the device refuses FEATURES_OK or sets "
         "DEVICE_NEEDS_RESET.",
         "dev:Transport Messages / VIRTIO_MSG_SET_DEVICE_STATUS / Device", "pr28, rfc3",
         "VMSG-STATUS-06",
         SRC("virtio-msg PR28 transport-msg.tex L1256 (P119)",
             "virtio-msg RFC3 transport-msg.tex L986-989")),
    RULE(RESET_01, MAY, DRV, SEND, "status and reset", "reset at any time",
         "The driver may reset the device at any moment by writing status 0, and may initialise "
         "it again afterwards if it wants to go on using it.",
         "drv:Device Operation / Reset / Driver", "pr28, rfc3", "VMSG-RESET-01",
         SRC("virtio-msg PR28 transport-msg.tex L904 (P99)",
             "virtio-msg RFC3 transport-msg.tex L739-744")),
    RULE(RESET_02, SHOULD, DRV, RECV, "status and reset", "a reset when the device needs one",
         "When the device signals DEVICE_NEEDS_RESET, for example in EVENT_CONFIG, the driver "
         "should write status 0 and initialise the device again before resuming I/O.",
         "drv:Device Operation / Reset / Driver", "pr28, rfc3", "VMSG-RESET-02",
         SRC("virtio-msg PR28 transport-msg.tex L904 (P100)",
             "virtio-msg RFC3 transport-msg.tex L750-752")),
    RULE(RESET_03, SHOULD, DEV, SEND, "status and reset", "unrecoverable errors signalled",
         "A device hit by an error it cannot recover from without the driver should signal "
         "DEVICE_NEEDS_RESET, for example in EVENT_CONFIG. RFC3 only allows this.",
         "dev:Device Operation / Reset / Device", "pr28, rfc3", "VMSG-RESET-03",
         SRC("virtio-msg PR28 transport-msg.tex L915 (P102)",
             "virtio-msg RFC3 transport-msg.tex L747-750 (MAY)")),
    RULE(FINAL_01, MUST, DRV, SEND, "status and reset", "setting DRIVER_OK last",
         "The driver sets DRIVER_OK with SET_DEVICE_STATUS only after it has completed feature "
         "negotiation and set up every virtqueue it needs.",
         "drv:Device Initialization / Finalizing Initialization / Driver", "pr28", "VMSG-FINAL-01",
         SRC("virtio-msg PR28 transport-msg.tex L747 (P75)")),
    RULE(FINAL_02, MUST, DRV, SEND, "status and reset", "no I/O before DRIVER_OK",
         "The driver queues no normal I/O until the device reports a status that includes "
         "DRIVER_OK.",
         "drv:Device Initialization / Finalizing Initialization / Driver", "pr28", "VMSG-FINAL-02",
         SRC("virtio-msg PR28 transport-msg.tex L747 (P76)")),
    RULE(FINAL_03, MUST, DRV, SEND, "status and reset", "no buffers on unconfigured queues",
         "The driver neither supplies buffers to nor sends notifications for a virtqueue that "
         "has not been configured with SET_VQUEUE.",
         "drv:Device Initialization / Finalizing Initialization / Driver", "pr28", "VMSG-FINAL-03",
         SRC("virtio-msg PR28 transport-msg.tex L747 (P77)")),
    RULE(FINAL_04, MUST, DEV, LOCAL, "status and reset", "device idle before DRIVER_OK",
         "The device processes no normal virtqueue I/O until the driver has set DRIVER_OK.",
         "dev:Device Initialization / Finalizing Initialization / Device", "pr28", "VMSG-FINAL-04",
         SRC("virtio-msg PR28 transport-msg.tex L758 (P78)")),
    RULE(FINAL_05, MUST, DEV, LOCAL, "status and reset", "device serves its queues after DRIVER_OK",
         "Once DRIVER_OK is set, the device processes virtqueue requests according to the "
         "negotiated features and the queue configuration.",
         "dev:Device Initialization / Finalizing Initialization / Device", "pr28", "VMSG-FINAL-05",
         SRC("virtio-msg PR28 transport-msg.tex L758 (P79)")),
    /* ---- virtqueues and shared memory -------------------------------------------------------- */
    RULE(VQ_01, MUST, DRV, SEND, "virtqueues and shared memory", "queue queried before programming",
         "Before programming a virtqueue, the driver asks GET_VQUEUE for its maximum size and "
         "checks that the queue is inactive.",
         "drv:Device Initialization / Virtqueue Configuration / Driver", "pr28", "VMSG-VQ-01",
         SRC("virtio-msg PR28 transport-msg.tex L690 (P66)")),
    RULE(VQ_02, MUST, DRV, SEND, "virtqueues and shared memory", "valid queue size and addresses",
         "In SET_VQUEUE the driver gives a size no larger than the maximum the device reported, "
         "and valid, properly aligned descriptor, driver and device area addresses.",
         "drv:Device Initialization / Virtqueue Configuration / Driver; drv:Transport Messages "
         "/ VIRTIO_MSG_SET_VQUEUE / Driver",
         "pr28", "VMSG-VQ-02", SRC("virtio-msg PR28 transport-msg.tex L690, L1315 (P67, P121)")),
    RULE(VQ_03, SHOULD, DRV, SEND, "virtqueues and shared memory",
         "queue reset before reprogramming",
         "With VIRTIO_F_RING_RESET negotiated, the driver should reset a queue with "
         "RESET_VQUEUE before it programs that queue again.",
         "drv:Device Initialization / Virtqueue Configuration / Driver; drv:Device Operation / "
         "Virtqueue Changes During Operation / Driver",
         "pr28", "VMSG-VQ-03", SRC("virtio-msg PR28 transport-msg.tex L690, L877 (P68, P96)")),
    RULE(VQ_04, SHOULD, DRV, SEND, "virtqueues and shared memory",
         "queue resets only with RING_RESET",
         "The driver should send RESET_VQUEUE only when VIRTIO_F_RING_RESET has been negotiated "
         "and a queue needs to be reconfigured or recovered.",
         "drv:Transport Messages / VIRTIO_MSG_RESET_VQUEUE / Driver", "pr28, rfc3", "VMSG-VQ-04",
         SRC("virtio-msg PR28 transport-msg.tex L1345 (P123)",
             "virtio-msg RFC3 transport-msg.tex L1041-1042")),
    RULE(VQ_05, MUST, DEV, SEND, "virtqueues and shared memory",
         "queue limits accurate, settings kept",
         "The device reports accurate maximum queue sizes in GET_VQUEUE and keeps the size and "
         "the three area addresses that SET_VQUEUE gave it.",
         "dev:Device Initialization / Virtqueue Configuration / Device", "pr28", "VMSG-VQ-05",
         SRC("virtio-msg PR28 transport-msg.tex L702 (P69)")),
    RULE(VQ_06, MUST, DEV, SEND, "virtqueues and shared memory", "current size 0 until configured",
         "GET_VQUEUE reports the real maximum and current size of the queue, with a current "
         "size of 0 for a queue that has not been configured yet.",
         "dev:Transport Messages / VIRTIO_MSG_GET_VQUEUE / Device", "pr28", "VMSG-VQ-06",
         SRC("virtio-msg PR28 transport-msg.tex L1285 (P120)")),
    RULE(VQ_07, MUST, DRV, LOCAL, "virtqueues and shared memory",
         "queues with maximum size 0 unused",
         "A virtqueue whose maximum size in GET_VQUEUE is 0 is not valid, and the driver does "
         "not use it.",
         "sec:Transport Messages / VIRTIO_MSG_GET_VQUEUE", "rfc3", "VMSG-VQ-07",
         SRC("virtio-msg RFC3 transport-msg.tex L1012-1013")),
    RULE(VQ_08, MUST, DEV, RECV, "virtqueues and shared memory", "queue configured from SET_VQUEUE",
         "The device sets the queue up from the SET_VQUEUE parameters and treats it as inactive "
         "until that SET_VQUEUE has completed successfully.",
         "dev:Transport Messages / VIRTIO_MSG_SET_VQUEUE / Device", "pr28", "VMSG-VQ-08",
         SRC("virtio-msg PR28 transport-msg.tex L1322 (P122)", "virtio-msg-rules.md 9 A14")),
    RULE(VQ_09, MUST, DEV, RECV, "virtqueues and shared memory", "queue reset with RING_RESET",
         "On RESET_VQUEUE with VIRTIO_F_RING_RESET negotiated, the device quiesces the queue, "
         "releases what it holds for it and lets the driver configure it again without "
         "processing stale data.",
         "dev:Device Initialization / Virtqueue Configuration / Device; dev:Device Operation / "
         "Virtqueue Changes During Operation / Device",
         "pr28", "VMSG-VQ-09", SRC("virtio-msg PR28 transport-msg.tex L702, L887 (P70, P98)")),
    RULE(VQ_10, MUST, DEV, RECV, "virtqueues and shared memory", "queue reset always honoured",
         "On any RESET_VQUEUE the device stops processing the queue, resets its state and "
         "accepts a new SET_VQUEUE for it. This clause sets no feature condition, unlike "
         "VMSG-VQ-09.",
         "dev:Transport Messages / VIRTIO_MSG_RESET_VQUEUE / Device", "pr28", "VMSG-VQ-10",
         SRC("virtio-msg PR28 transport-msg.tex L1352 (P124)", "virtio-msg-rules.md 9 A7")),
    RULE(VQ_11, MAY, DRV, SEND, "virtqueues and shared memory", "extra queues after initialisation",
         "After initialisation the driver may set up further virtqueues with SET_VQUEUE, "
         "applying the same checks as during setup, such as the maximum size.",
         "drv:Device Operation / Virtqueue Changes During Operation / Driver", "pr28, rfc3",
         "VMSG-VQ-11",
         SRC("virtio-msg PR28 transport-msg.tex L877 (P95)",
             "virtio-msg RFC3 transport-msg.tex L732-733")),
    RULE(VQ_12, MUST, DEV, RECV, "virtqueues and shared memory",
         "queue setup honoured after initialisation",
         "The device applies SET_VQUEUE requests that arrive after initialisation and updates "
         "the queue parameters to match.",
         "dev:Device Operation / Virtqueue Changes During Operation / Device", "pr28", "VMSG-VQ-12",
         SRC("virtio-msg PR28 transport-msg.tex L887 (P97)")),
    RULE(VQ_13, SHOULD, BOTH, SEND, "virtqueues and shared memory",
         "reserved queue fields are zero",
         "The reserved fields of GET_VQUEUE responses and SET_VQUEUE requests should be sent as "
         "zero. Only the message layouts say so; no normative clause repeats it.",
         NULL, "pr28, rfc3", "VMSG-VQ-13",
         SRC("virtio-msg PR28 transport-msg.tex L1278, L1302, L1304 (struct comments)",
             "virtio-msg RFC3 transport-msg.tex L1005, L1025, L1027 (MBZ)")),
    RULE(SHM_01, MUST, DEV, SEND, "virtqueues and shared memory",
         "shared memory regions reported accurately",
         "GET_SHM returns length 0 for a shared memory region that does not exist, and the true "
         "address and length for each region the device has; both fields are only 32 bits wide.",
         "dev:Transport Messages / VIRTIO_MSG_GET_SHM / Device", "pr28", "VMSG-SHM-01",
         SRC("virtio-msg PR28 transport-msg.tex L1378 (P125)", "virtio-msg-rules.md 9 A8")),
    /* ---- notifications ----------------------------------------------------------------------- */
    RULE(NOTIF_01, MUST, DRV, SEND, "notifications", "new buffers announced",
         "The driver sends EVENT_AVAIL whenever it places new buffers on a virtqueue.",
         "drv:Device Operation / Driver Notifications / Driver", "pr28, rfc3", "VMSG-NOTIF-01",
         SRC("virtio-msg PR28 transport-msg.tex L783 (P80)",
             "virtio-msg RFC3 transport-msg.tex L653-656, L1344")),
    RULE(NOTIF_02, MUST, DRV, SEND, "notifications", "available notification names its queue",
         "Every EVENT_AVAIL carries the index of the virtqueue it is about.",
         "drv:Device Operation / Driver Notifications / Driver", "pr28", "VMSG-NOTIF-02",
         SRC("virtio-msg PR28 transport-msg.tex L783 (P81)")),
    RULE(NOTIF_03, MUST, DRV, SEND, "notifications", "next offset only with NOTIFICATION_DATA",
         "Without VIRTIO_F_NOTIFICATION_DATA the driver sends the EVENT_AVAIL next offset and "
         "wrap field as 0; with it, the field holds the current available ring position.",
         "drv:Device Operation / Driver Notifications / Driver; drv:Transport Messages / "
         "VIRTIO_MSG_EVENT_AVAIL / Driver",
         "pr28, rfc3", "VMSG-NOTIF-03",
         SRC("virtio-msg PR28 transport-msg.tex L783, L1431 (P82, P128)",
             "virtio-msg RFC3 transport-msg.tex L667-671", "virtio-msg-rules.md 9 A17")),
    RULE(NOTIF_04, MUST, BUS, RECV, "notifications",
         "available notifications relayed unless converted",
         "A bus that does not turn EVENT_AVAIL into an out-of-band notification relays it over "
         "the virtio-msg channel. RFC3 only recommends the relay (VMSG-R3-15).",
         "bus:Device Operation / Driver Notifications / Bus", "pr28", "VMSG-NOTIF-04",
         SRC("virtio-msg PR28 transport-msg.tex L793 (P83)")),
    RULE(NOTIF_05, MUST, BUS, RECV, "notifications", "available notifications not dropped",
         "The bus drops EVENT_AVAIL only when it has arranged for the device to find new "
         "buffers by polling or an equivalent means.",
         "bus:Device Operation / Driver Notifications / Bus", "pr28, rfc3", "VMSG-NOTIF-05",
         SRC("virtio-msg PR28 transport-msg.tex L793 (P84)",
             "virtio-msg RFC3 transport-msg.tex L661-662")),
    RULE(NOTIF_06, MUST, DEV, SEND, "notifications", "every visible change announced",
         "The device, or the device-side bus for it, sends EVENT_CONFIG with the new generation "
         "whenever configuration or status changes in a way the driver can see; the data is "
         "optional.",
         "dev:Device Operation / Device Notifications / Device; dev:Transport Messages / "
         "VIRTIO_MSG_EVENT_CONFIG / Device",
         "pr28, rfc3", "VMSG-NOTIF-06",
         SRC("virtio-msg PR28 transport-msg.tex L811, L1410 (P85, P127)",
             "virtio-msg RFC3 transport-msg.tex L1340-1341")),
    RULE(NOTIF_07, SHOULD, DEV, SEND, "notifications", "changed range named when data omitted",
         "An EVENT_CONFIG sent without data should still give the offset and length of what "
         "changed, so the driver can fetch it with GET_CONFIG; with length 0 there is no range "
         "to give.",
         "dev:Device Operation / Device Notifications / Device", "pr28", "VMSG-NOTIF-07",
         SRC("virtio-msg PR28 transport-msg.tex L811 (P86)", "virtio-msg-rules.md 9 A6")),
    RULE(NOTIF_08, SHOULD, DEV, SEND, "notifications", "consumed buffers announced",
         "The device should send EVENT_USED when it has consumed buffers of a virtqueue, unless "
         "another completion mechanism has been agreed or the driver has turned such "
         "notifications off.",
         "dev:Device Operation / Device Notifications / Device; dev:Transport Messages / "
         "VIRTIO_MSG_EVENT_USED / Device",
         "pr28", "VMSG-NOTIF-08", SRC("virtio-msg PR28 transport-msg.tex L811, L1458 (P87, P130)")),
    RULE(NOTIF_09, MUST, DRV, RECV, "notifications", "used notifications acted on",
         "On EVENT_USED the driver examines the virtqueue it names, for example its used ring, "
         "to reclaim completed buffers.",
         "drv:Device Operation / Device Notifications / Driver; drv:Transport Messages / "
         "VIRTIO_MSG_EVENT_USED / Driver",
         "pr28", "VMSG-NOTIF-09", SRC("virtio-msg PR28 transport-msg.tex L825, L1465 (P89, P131)")),
    RULE(NOTIF_10, MUST, BUS, SEND, "notifications", "device notifications reach the driver",
         "The bus passes EVENT_CONFIG and EVENT_USED, or their equivalents, to the driver, "
         "relaying them in-band or synthesising them from other signals.",
         "bus:Device Operation / Device Notifications / Bus", "pr28, rfc3", "VMSG-NOTIF-10",
         SRC("virtio-msg PR28 transport-msg.tex L835 (P90)",
             "virtio-msg PR28 transport-msg.tex L1030-1036 (folded VMSG-MAND-03)",
             "virtio-msg RFC3 transport-msg.tex L680-682")),
    RULE(NOTIF_11, SHOULD, BUS, LOCAL, "notifications", "polling only as a last resort",
         "A bus should use polling or similar mechanisms instead of direct notifications only "
         "where no other notification method is available.",
         "bus:Device Operation / Device Notifications / Bus", "pr28", "VMSG-NOTIF-11",
         SRC("virtio-msg PR28 transport-msg.tex L835 (P91)")),
    RULE(NOTIF_12, SHOULD, BUS, LOCAL, "notifications", "no NOTIFICATION_DATA with out-of-band",
         "A bus that delivers driver notifications out of band should prevent "
         "VIRTIO_F_NOTIFICATION_DATA from being negotiated, so that no device expects in-band "
         "offset and wrap values.",
         "bus:Transport Messages / VIRTIO_MSG_EVENT_AVAIL / Bus", "pr28, rfc3", "VMSG-NOTIF-12",
         SRC("virtio-msg PR28 transport-msg.tex L1439 (P129)",
             "virtio-msg RFC3 transport-msg.tex L1117-1119 (lower-case)")),
    /* ---- bus messages ------------------------------------------------------------------------ */
    RULE(MAND_01, MUST, DEV, RECV, "bus messages", "core messages implemented by devices",
         "The device implements GET_DEVICE_INFO, GET_DEVICE_FEATURES, SET_DRIVER_FEATURES, "
         "GET_CONFIG, SET_CONFIG, GET_DEVICE_STATUS, SET_DEVICE_STATUS, GET_VQUEUE, SET_VQUEUE "
         "and RESET_VQUEUE. GET_SHM is not in the list, yet the device conformance clauses "
         "include its rule.",
         "dev:Transport Messages / Mandatory / Device", "pr28, rfc3", "VMSG-MAND-01",
         SRC("virtio-msg PR28 transport-msg.tex L1015 (P105)",
             "virtio-msg PR28 conformance.tex L92", "virtio-msg RFC3 transport-msg.tex L820-829",
             "virtio-msg-rules.md 9 A8")),
    RULE(MAND_02, MUST, DRV, SEND, "bus messages", "core messages supported by drivers",
         "The driver can send every core transport message and interpret its response, as "
         "needed to initialise and operate a device.",
         "drv:Transport Messages / Mandatory / Driver", "pr28, rfc3", "VMSG-MAND-02",
         SRC("virtio-msg PR28 transport-msg.tex L1024 (P106)",
             "virtio-msg RFC3 transport-msg.tex L1269-1278")),
    RULE(HOTPLUG_01, MUST, BUS, SEND, "bus messages", "arrival and removal announced",
         "A bus that uses EVENT_DEVICE sends it with state READY when a device becomes "
         "accessible and with state REMOVED when the device is no longer available.",
         "bus:Device Operation / Hotplug and Removal / Bus", "pr28", "VMSG-HOTPLUG-01",
         SRC("virtio-msg PR28 transport-msg.tex L933 (P103)")),
    RULE(HOTPLUG_02, SHOULD, BUS, LOCAL, "bus messages", "probe on arrival, release on removal",
         "When a new device is reported, by whatever means, the bus should query it, for "
         "example with GET_DEVICE_INFO, and register it; on removal it should have the OS "
         "quiesce and release the driver.",
         "bus:Device Operation / Hotplug and Removal / Bus", "pr28, rfc3", "VMSG-HOTPLUG-02",
         SRC("virtio-msg PR28 transport-msg.tex L933 (P104)",
             "virtio-msg RFC3 transport-msg.tex L426-429")),
    RULE(GETDEV_01, MUST, BUS, RECV, "bus messages", "device windows in multiples of 8",
         "The bus answering GET_DEVICES requires offset and count to be multiples of 8, and "
         "returns a bitmap of count/8 bytes with the lowest device number in the least "
         "significant bit.",
         "bus:Bus Messages / GET_DEVICES / Bus", "pr28, rfc3", "VMSG-BUS-GETDEV-01",
         SRC("virtio-msg PR28 transport-msg.tex L1570 (P132)",
             "virtio-msg RFC3 transport-msg.tex L1197-1201", "virtio-msg-rules.md 9 A11")),
    RULE(GETDEV_02, MUST, BUS, SEND, "bus messages", "next_offset 0 or past the window",
         "The next_offset of a GET_DEVICES response is 0, meaning no further window, or an "
         "aligned value of at least offset + count; RFC3 defines aligned as a multiple of 8.",
         "bus:Bus Messages / GET_DEVICES / Bus", "pr28, rfc3", "VMSG-BUS-GETDEV-02",
         SRC("virtio-msg PR28 transport-msg.tex L1570 (P133)",
             "virtio-msg RFC3 transport-msg.tex L1198")),
    RULE(GETDEV_03, SHOULD, BUS, SEND, "bus messages", "full window unless constrained",
         "The bus answering GET_DEVICES should return the count that was asked for unless "
         "something, such as the maximum message size, prevents it.",
         "bus:Bus Messages / GET_DEVICES / Bus", "pr28", "VMSG-BUS-GETDEV-03",
         SRC("virtio-msg PR28 transport-msg.tex L1570 (P134)")),
    RULE(GETDEV_04, MAY, DRV, SEND, "bus messages", "enumeration with GET_DEVICES",
         "The driver may enumerate device numbers with GET_DEVICES; it then treats each window "
         "as a snapshot, moves on with next_offset, and confirms each device with "
         "GET_DEVICE_INFO before sending it other transport messages.",
         "sec:Bus Messages / BUS_MSG_GET_DEVICES", "pr28", "VMSG-BUS-GETDEV-04",
         SRC("virtio-msg PR28 transport-msg.tex L1565-1568 (intended usage)")),
    RULE(GETDEV_05, MUST, BUS, SEND, "bus messages", "bitmap matches the echoed window",
         "When the bus returns a smaller count than requested, the bitmap still describes "
         "exactly the window given by the echoed offset and count.",
         "bus:Bus Messages / GET_DEVICES / Bus", "pr28", "VMSG-BUS-GETDEV-03",
         SRC("virtio-msg PR28 transport-msg.tex L1570 (P134)")),
    IMPL_RULE(
        GETDEV_06, BUS, SEND, "bus messages", "OP-TEE GET_DEVICES counts present devices",
        "The OP-TEE bus answers GET_DEVICES only for offset 0, puts the number of present "
        "devices in count instead of the window length, and always returns next_offset 0.",
        "op-tee", "optee", "pr28", "D13",
        SRC("qc-azarrabi/optee_os_upstream core/drivers/virtio/virtio_msg.c (index lists eb157ed)",
            "virtio-msg-rules.md 10 D13")),
    RULE(PING_01, MUST, BUS, SEND, "bus messages", "ping data echoed",
         "The side answering a PING returns the request's 32-bit data value exactly.",
         "bus:Bus Messages / PING / Bus", "pr28, rfc3", "VMSG-BUS-PING-01",
         SRC("virtio-msg PR28 transport-msg.tex L1604 (P135)",
             "virtio-msg RFC3 transport-msg.tex L1334-1335")),
    RULE(PING_02, SHOULD, DRV | BUS, SEND, "bus messages", "missing PING reply checked",
         "When a PING reply is missing or later than its policy allows, the initiator should "
         "check the device status, for example with GET_DEVICE_STATUS, and recover as needed.",
         "sec:Bus Messages / BUS_MSG_PING", "pr28", "VMSG-BUS-PING-02",
         SRC("virtio-msg PR28 transport-msg.tex L1599-1602 (intended usage)")),
    RULE(EVDEV_01, MUST, DRV, RECV, "bus messages", "removal stops the driver",
         "On EVENT_DEVICE with state REMOVED the driver stops queueing new work, quiesces and "
         "resets the device as applicable, and releases its resources.",
         "sec:Bus Messages / BUS_MSG_EVENT_DEVICE", "pr28", "VMSG-BUS-EVDEV-01",
         SRC("virtio-msg PR28 transport-msg.tex L1634-1640 (intended usage)")),
    RULE(EVDEV_02, SHOULD, DRV, RECV, "bus messages", "a ready device is probed",
         "On EVENT_DEVICE with state READY the driver should probe the device with "
         "GET_DEVICE_INFO and go on with initialisation if that succeeds.",
         "sec:Bus Messages / BUS_MSG_EVENT_DEVICE", "pr28", "VMSG-BUS-EVDEV-01",
         SRC("virtio-msg PR28 transport-msg.tex L1634-1640 (intended usage)")),
    RULE(EVDEV_03, SHOULD, DRV, RECV, "bus messages", "duplicate device events tolerated",
         "The driver should cope with EVENT_DEVICE messages that arrive more than once or out "
         "of order.",
         "sec:Bus Messages / BUS_MSG_EVENT_DEVICE", "pr28", "VMSG-BUS-EVDEV-01",
         SRC("virtio-msg PR28 transport-msg.tex L1634-1640 (intended usage)")),
    /* ---- rfc3 only --------------------------------------------------------------------------- */
    RULE(R3_01, MUST, ALL, SEND, "rfc3 only", "non-zero tokens, echoed",
         "Every request carries a non-zero token, token 0 is kept for events, and each response "
         "carries the token of its request.",
         "sec:Basic Concepts / Common Message Format", "rfc3", "VMSG-R3-01",
         SRC("virtio-msg RFC3 transport-msg.tex L336-338")),
    RULE(R3_02, MUST, ALL, SEND, "rfc3 only", "unique correlation tuples",
         "A requester chooses tokens so that (dev_num, token) is unique among its requests in "
         "flight, events carry token 0, and a response repeats both the token and the dev_num "
         "of its request.",
         "sec:Basic Concepts / Correlation", "rfc3", "VMSG-R3-02",
         SRC("virtio-msg RFC3 transport-msg.tex L363-374")),
    RULE(R3_03, MUST, ALL, SEND, "rfc3 only", "msg_size from 8 to the maximum",
         "Every message has a msg_size of at least 8 and at most the bus's maximum message "
         "size.",
         "sec:Basic Concepts / Common Message Format", "rfc3", "VMSG-R3-03",
         SRC("virtio-msg RFC3 transport-msg.tex L339-341")),
    RULE(R3_04, MUST, BUS, SEND, "rfc3 only", "bus messages use dev_num 0",
         "Every bus message is sent with dev_num 0; only transport messages name a device "
         "there.",
         "sec:Basic Concepts / Common Message Format", "rfc3", "VMSG-R3-04",
         SRC("virtio-msg RFC3 transport-msg.tex L334-335")),
    RULE(R3_05, SHOULD, ALL, RECV, "rfc3 only", "invalid messages discarded (RFC3)",
         "A receiver should drop a message with a malformed header or an unsupported msg_id, "
         "may log it, and should not send anything in reply. Transport IDs from 0x80 up are "
         "reserved in RFC3, so such messages are unsupported.",
         "sec:Basic Concepts / ErrorSignaling", "rfc3", "VMSG-R3-05",
         SRC("virtio-msg RFC3 transport-msg.tex L248-250",
             "virtio-msg RFC3 transport-msg.tex L816-818 (folded VMSG-R3-07)")),
    RULE(R3_06, MUST, DEV, SEND, "rfc3 only", "no generation reused with data",
         "The device never gives the same generation to two EVENT_CONFIG messages that both "
         "carry configuration data.",
         "sec:Basic Concepts / ConfigGen", "rfc3", "VMSG-R3-06",
         SRC("virtio-msg RFC3 transport-msg.tex L194-196")),
    RULE(R3_08, MUST, BOTH, SEND, "rfc3 only", "feature data in whole 32-bit words",
         "The feature data in GET_DEVICE_FEATURES responses and SET_DRIVER_FEATURES requests is "
         "a multiple of 4 bytes long.",
         "sec:Transport Messages / VIRTIO_MSG_GET_DEVICE_FEATURES; sec:Transport Messages / "
         "VIRTIO_MSG_SET_DRIVER_FEATURES",
         "rfc3", "VMSG-R3-08", SRC("virtio-msg RFC3 transport-msg.tex L886-887, L906-907")),
    RULE(R3_09, MUST, BUS, SEND, "rfc3 only", "device notifications always delivered",
         "The driver-side bus delivers configuration, status and used-buffer notifications to "
         "the driver, from in-band messages, from out-of-band signals or, as a last resort, "
         "from polling.",
         "sec:Device Operation / Driver Notifications; sec:Device Operation / Device "
         "Notifications",
         "rfc3", "VMSG-R3-09",
         SRC("virtio-msg RFC3 transport-msg.tex L680-694",
             "virtio-msg RFC3 transport-msg.tex L831-838 (folded VMSG-MAND-03)")),
    RULE(R3_10, MAY, DRV, LOCAL, "rfc3 only", "polling when EVENT_USED is absent",
         "If the device does not send EVENT_USED, the driver may detect completed buffers by "
         "polling the virtqueue.",
         "sec:Device Operation / Device Notifications", "rfc3", "VMSG-R3-10",
         SRC("virtio-msg RFC3 transport-msg.tex L713-715")),
    RULE(R3_11, MUST, DEV, SEND, "rfc3 only", "agreed features returned (stale clause)",
         "The RFC3 compliance list has the device return the finally agreed feature bits to the "
         "driver. No message carries them: the SET_DRIVER_FEATURES response has been empty "
         "since RFC2.",
         "sec:Compliance / Mandatory", "rfc3", "VMSG-R3-11",
         SRC("virtio-msg RFC3 transport-msg.tex L1290-1292",
             "virtio-msg RFC3 transport-msg.tex L902")),
    RULE(R3_12, MUST, DRV, RECV, "rfc3 only", "configuration write rejections handled",
         "The driver copes with a SET_CONFIG that the device rejects because of a generation "
         "mismatch.",
         "sec:Compliance / Mandatory", "rfc3", "VMSG-R3-12",
         SRC("virtio-msg RFC3 transport-msg.tex L1310-1311")),
    RULE(R3_13, MUST, ALL, RECV, "rfc3 only", "framing bytes zero and ignored",
         "Unused trailing bytes that bus framing adds to a message are zero, and receivers "
         "ignore them.",
         "sec:Basic Concepts / Common Message Format", "rfc3", "VMSG-R3-13",
         SRC("virtio-msg RFC3 transport-msg.tex L342-344")),
    RULE(R3_14, SHOULD, DRV | BUS, RECV, "rfc3 only", "unmatched responses dropped",
         "A response whose (dev_num, token) matches no request in flight, or one already "
         "answered, should be dropped without any further protocol action.",
         "sec:Basic Concepts / Correlation", "rfc3", "VMSG-R3-02",
         SRC("virtio-msg RFC3 transport-msg.tex L375-377")),
    RULE(R3_15, SHOULD, BUS, RECV, "rfc3 only", "available notifications in-band by default",
         "A driver-side bus that does not convert EVENT_AVAIL to an out-of-band notification "
         "should send it over the message channel; it may drop it only when it knows the device "
         "polls.",
         "sec:Device Operation / Driver Notifications", "rfc3", "VMSG-R3-09",
         SRC("virtio-msg RFC3 transport-msg.tex L658-662")),
    /* ---- base virtio ------------------------------------------------------------------------- */
    RULE(BASE_01, MUST, DRV, SEND, "base virtio", "initialisation order",
         "The driver initialises in this order: reset, ACKNOWLEDGE, DRIVER, read the features "
         "and write the accepted subset (configuration may be read but not written meanwhile), "
         "FEATURES_OK, re-read status to see FEATURES_OK still set, device setup, DRIVER_OK.",
         "drivernormative:General Initialization And Device Operation / Device Initialization",
         "pr28, rfc3", "VMSG-BASE-01",
         SRC("virtio spec content.tex @15f488c, drivernormative:General Initialization And Device "
             "Operation / Device Initialization")),
    RULE(BASE_02, MUST, DRV, SEND, "base virtio", "no new features after FEATURES_OK",
         "Once it has set FEATURES_OK, the driver accepts no further feature bits.",
         "drivernormative:General Initialization And Device Operation / Device Initialization",
         "pr28, rfc3", "VMSG-BASE-02",
         SRC("virtio spec content.tex @15f488c, drivernormative:General Initialization And Device "
             "Operation / Device Initialization")),
    RULE(BASE_03, MUST, DRV, SEND, "base virtio", "initialisation stops after a failure",
         "After a step of initialisation goes irrecoverably wrong, the driver does not continue "
         "initialising the device.",
         "drivernormative:General Initialization And Device Operation / Device Initialization",
         "pr28, rfc3", "VMSG-BASE-03",
         SRC("virtio spec content.tex @15f488c, drivernormative:General Initialization And Device "
             "Operation / Device Initialization")),
    RULE(BASE_04, MUST, DRV, SEND, "base virtio", "no EVENT_AVAIL before DRIVER_OK",
         "The driver sends no available-buffer notification, in virtio-msg no EVENT_AVAIL, "
         "before it has set DRIVER_OK.",
         "drivernormative:General Initialization And Device Operation / Device Initialization",
         "pr28, rfc3", "VMSG-BASE-04",
         SRC("virtio spec content.tex @15f488c, drivernormative:General Initialization And Device "
             "Operation / Device Initialization")),
    RULE(
        BASE_05, MUST, DRV, SEND, "base virtio", "status bits only added",
        "The driver sets status bits as the initialisation steps complete, never clears one "
        "except by a reset, and resets the device before initialising it again once it has set "
        "FAILED.",
        "drivernormative:Basic Facilities of a Virtio Device / Device Status Field", "pr28, rfc3",
        "VMSG-BASE-05",
        SRC("virtio spec content.tex @15f488c, drivernormative:Basic Facilities of a Virtio Device "
            "/ Device Status Field")),
    RULE(
        BASE_06, MUST, DEV, LOCAL, "base virtio", "nothing consumed before DRIVER_OK",
        "Until DRIVER_OK is set, the device consumes no buffers and sends no used-buffer "
        "notifications, so no EVENT_USED.",
        "devicenormative:Basic Facilities of a Virtio Device / Device Status Field", "pr28, rfc3",
        "VMSG-BASE-06",
        SRC("virtio spec content.tex @15f488c, devicenormative:Basic Facilities of a Virtio Device "
            "/ Device Status Field")),
    RULE(BASE_07, MUST, DEV, SEND, "base virtio", "needs-reset announced to the driver",
         "A device that sets DEVICE_NEEDS_RESET while DRIVER_OK is set then sends a "
         "configuration change notification, in virtio-msg an EVENT_CONFIG. Setting the bit is "
         "itself a SHOULD (VMSG-RESET-03).",
         "sec:Basic Facilities of a Virtio Device / Device Status Field / DEVICENEEDSRESET",
         "pr28, rfc3", "VMSG-BASE-07",
         SRC("virtio spec content.tex @15f488c, sec:Basic Facilities of a Virtio Device / Device "
             "Status Field / DEVICENEEDSRESET")),
    RULE(
        BASE_08, MUST, DRV, SEND, "base virtio", "only valid offered features accepted",
        "The driver accepts no feature the device did not offer or that depends on one it did "
        "not accept, and ignores, without accepting, bits that are reserved, undefined, or "
        "unsupported by this transport or device type.",
        "drivernormative:Basic Facilities of a Virtio Device / Feature Bits", "pr28, rfc3",
        "VMSG-BASE-08",
        SRC("virtio spec content.tex @15f488c, drivernormative:Basic Facilities of a Virtio Device "
            "/ Feature Bits")),
    RULE(
        BASE_09, MUST, DEV, SEND, "base virtio", "no unsupportable features offered",
        "The device offers no feature it could not support once accepted, nor one that depends "
        "on a feature it does not offer, and when it cannot accept the driver's set it does "
        "not let FEATURES_OK be set.",
        "devicenormative:Basic Facilities of a Virtio Device / Feature Bits", "pr28, rfc3",
        "VMSG-BASE-09",
        SRC("virtio spec content.tex @15f488c, devicenormative:Basic Facilities of a Virtio Device "
            "/ Feature Bits")),
    RULE(
        BASE_10, MUST, DEV, LOCAL, "base virtio", "silent after reset",
        "After a reset the device's status is 0, and once it has shown that, the device sends "
        "no notifications and touches no queue until the driver initialises it again.",
        "devicenormative:Basic Facilities of a Virtio Device / Device Reset", "pr28, rfc3",
        "VMSG-BASE-10",
        SRC("virtio spec content.tex @15f488c, devicenormative:Basic Facilities of a Virtio Device "
            "/ Device Reset")),
    RULE(
        BASE_11, SHOULD, DRV, RECV, "base virtio", "reset complete when status reads 0",
        "The driver should consider a reset it requested complete when the status reads 0; in "
        "virtio-msg that is the status in the response to SET_DEVICE_STATUS with 0.",
        "drivernormative:Basic Facilities of a Virtio Device / Device Reset", "pr28, rfc3",
        "VMSG-BASE-11",
        SRC("virtio spec content.tex @15f488c, drivernormative:Basic Facilities of a Virtio Device "
            "/ Device Reset")),
    RULE(BASE_12, MUST, DRV, SEND, "base virtio", "version 1 feature accepted",
         "The driver accepts VIRTIO_F_VERSION_1 whenever the device offers it.",
         "drivernormative:Reserved Feature Bits", "pr28, rfc3", "VMSG-BASE-12",
         SRC("virtio spec content.tex @15f488c, drivernormative:Reserved Feature Bits")),
    RULE(
        BASE_13, MUST, DEV, LOCAL, "base virtio", "reset queue stays quiet",
        "After the driver resets a virtqueue, the device executes no request from it, sends no "
        "notification for it, and returns its available and used state to the defaults.",
        "devicenormative:Basic Facilities of a Virtio Device / Virtqueues / Virtqueue Reset / "
        "Virtqueue Reset",
        "pr28, rfc3", "VMSG-BASE-13",
        SRC("virtio spec content.tex @15f488c, devicenormative:Basic Facilities of a Virtio Device "
            "/ Virtqueues / Virtqueue Reset / Virtqueue Reset")),
    RULE(
        BASE_14, MUST, DRV, SEND, "base virtio", "queue reset verified",
        "After resetting a virtqueue the driver checks that the reset took effect, in "
        "virtio-msg with the RESET_VQUEUE response and a GET_VQUEUE current size of 0, and "
        "re-enables the queue by configuring it as during initial setup.",
        "drivernormative:Basic Facilities of a Virtio Device / Virtqueues / Virtqueue Reset / "
        "Virtqueue Reset; drivernormative:Basic Facilities of a Virtio Device / Virtqueues / "
        "Virtqueue Reset / Virtqueue Re-enable",
        "pr28, rfc3", "VMSG-BASE-14",
        SRC("virtio spec content.tex @15f488c, drivernormative:Basic Facilities of a Virtio Device "
            "/ Virtqueues / Virtqueue Reset / Virtqueue Reset",
            "virtio spec content.tex @15f488c, drivernormative:Basic Facilities of a Virtio Device "
            "/ Virtqueues / Virtqueue Reset / Virtqueue Re-enable")),
    RULE(
        BASE_15, MUST, DRV, RECV, "base virtio", "wide configuration reads not atomic",
        "The driver never assumes that a read of a configuration field wider than 32 bits, or "
        "of several fields, is atomic. The base specification recommends reading the "
        "generation before and after and retrying until both match.",
        "drivernormative:Basic Facilities of a Virtio Device / Device Configuration Space",
        "pr28, rfc3", "VMSG-BASE-15",
        SRC("virtio spec content.tex @15f488c, drivernormative:Basic Facilities of a Virtio Device "
            "/ Device Configuration Space")),
    RULE(BASE_16, SHOULD, DRV, SEND, "base virtio", "failure flagged when giving up",
         "A driver that gives up on a device because initialisation went irrecoverably wrong "
         "should set FAILED in the device status.",
         "drivernormative:General Initialization And Device Operation / Device Initialization",
         "pr28, rfc3", "VMSG-BASE-03",
         SRC("virtio spec content.tex @15f488c, drivernormative:General Initialization And Device "
             "Operation / Device Initialization")),
    RULE(
        BASE_17, SHOULD, DEV, RECV, "base virtio", "valid feature subsets accepted",
        "The device should accept any valid subset of the features it offered, and should not "
        "fail to renegotiate, after a device or system reset, a set it has accepted before.",
        "devicenormative:Basic Facilities of a Virtio Device / Feature Bits", "pr28, rfc3",
        "VMSG-BASE-09",
        SRC("virtio spec content.tex @15f488c, devicenormative:Basic Facilities of a Virtio Device "
            "/ Feature Bits")),
};

VCF_CATALOGUE_ACCESSORS(vmsg, VCF_VMSG_RULE_COUNT, "virtio-msg", "virtio-msg transport");
