# SPDX-License-Identifier: MIT
"""dissector_pairing: in the golden capture every virtio-msg response that has a request in
the same case on the same channel (same bus/transport type, msg_id, dev_num and token, earlier
frame, not yet answered) points at
one with virtio_msg.response_to, that request points back with virtio_msg.response_in, every
link is consistent both ways, and responses without such a request have no link."""

import vcf_tshark as vt

RESPONSE = 0x01
BUS = 0x02


def value(flat, key):
    v = flat.get(key)
    if not v:
        return None
    if len(v) != 1:
        vt.fail("%s appears %d times in one frame: %s" % (key, len(v), v))
    return int(v[0], 0)


def run():
    args = vt.arg_parser(__doc__).parse_args()
    recs, _ = vt.model_decode(args.vconform, args.pcap)
    with vt.Tshark(args.tshark, args.plugin_root) as ts:
        ts.require_plugin()
        # two passes: a request learns its response (response_in) only in the second
        pkts = ts.packets(ts.stage(args.pcap, "golden.pcap"), "-2")
    if len(pkts) != len(recs):
        vt.fail("%d frames from tshark, %d records from the model" % (len(pkts), len(recs)))
    # the model's view: header keys of every parsed virtio-msg message
    msgs = {}
    for rec in recs:
        if rec.get("protocol") != "virtio-msg" or "fields" not in rec:
            continue
        h = rec["fields"]["header"]
        msgs[rec["frame"]] = dict(case=rec["pseudo_header"]["case_index"],
                                  channel=rec["pseudo_header"]["channel"],
                                  type=h["type"]["value"], msg_id=h["msg_id"]["value"],
                                  dev_num=h["dev_num"]["value"], token=h["token"]["value"])
    links_to, links_in, has_time = {}, {}, set()
    for layers in pkts:
        frame = int(layers["frame"]["frame.number"])
        flat = vt.flatten(layers)
        t = value(flat, "virtio_msg.response_to")
        i = value(flat, "virtio_msg.response_in")
        if t is not None:
            links_to[frame] = t
        if i is not None:
            links_in[frame] = i
        if flat.get("virtio_msg.response_time"):
            has_time.add(frame)
    errors = []

    def key(m):
        # the channel too: a bus relays one request on two channels (driver side, device
        # side), and each copy is answered on its own channel
        return (m["case"], m["channel"], m["type"] & BUS, m["msg_id"], m["dev_num"], m["token"])

    requests = {}  # key -> request frames, in order
    for frame, m in sorted(msgs.items()):
        if not m["type"] & RESPONSE:
            requests.setdefault(key(m), []).append(frame)
    pairs = duplicates = 0
    answered = set()  # requests already answered by an earlier response
    for frame, m in sorted(msgs.items()):
        if not m["type"] & RESPONSE:
            if frame in links_to:
                errors.append("frame %d is a request but has response_to %d" %
                              (frame, links_to[frame]))
            continue
        candidates = [f for f in requests.get(key(m), []) if f < frame]
        free = [f for f in candidates if f not in answered]
        got = links_to.get(frame)
        if not candidates:
            if got is not None:
                errors.append("frame %d: response_to %d but no matching request in its case" %
                              (frame, got))
            continue
        if not free:
            # a second response to an answered request: it may point at the request, but the
            # request's response_in stays with the first response
            duplicates += 1
            if got is not None and got not in candidates:
                errors.append("frame %d: repeated response, response_to %d is not a matching "
                              "request (%s)" % (frame, got, candidates))
            continue
        if got is None:
            errors.append("frame %d: response with unanswered matching requests %s but no "
                          "response_to" % (frame, free))
            continue
        if got not in free:
            errors.append("frame %d: response_to %d is not an unanswered matching request (%s)"
                          % (frame, got, free))
            continue
        answered.add(got)
        if links_in.get(got) != frame:
            errors.append("frame %d: response_to %d, but frame %d has response_in %s" %
                          (frame, got, got, links_in.get(got)))
            continue
        if frame not in has_time:
            errors.append("frame %d: response without virtio_msg.response_time" % frame)
        pairs += 1
    for frame, target in sorted(links_in.items()):
        if links_to.get(target) != frame:
            errors.append("frame %d: response_in %d, but frame %d has response_to %s" %
                          (frame, target, target, links_to.get(target)))
    for e in errors[:25]:
        print("MISMATCH " + e)
    print("pairs: %d request/response pairs checked both ways, %d repeated responses; %d "
          "response_to, %d response_in links; %d virtio-msg messages" %
          (pairs, duplicates, len(links_to), len(links_in), len(msgs)))
    if errors:
        vt.fail("%d pairing errors" % len(errors))
    if pairs == 0:
        vt.fail("no request/response pair found in the golden capture")


vt.main(run)
