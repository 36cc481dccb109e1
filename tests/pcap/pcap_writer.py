"""Frames and classic pcap files for the capture generators of the tests (standard library):
Ethernet + IPv4 + TCP or UDP, checksums of TCP/UDP left zero (as offload leaves them)."""
import struct

SYN, PSH, ACK = 0x02, 0x08, 0x10


def ip_frame(src, dst, proto, l4, payload):
    """An Ethernet frame of an IPv4 packet (src, dst: 4 bytes) carrying l4 + payload."""
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4) + len(payload), 0, 0x4000, 64, proto,
                     0, src, dst)
    s = sum(struct.unpack("!10H", ip))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xFFFF) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\0" + ip + l4 + payload


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    l4 = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags,
                     65535, 0, 0)
    return ip_frame(src, dst, 6, l4, payload)


def udp(src, dst, sport, dport, payload):
    return ip_frame(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0), payload)


def write_pcap(path, frames, step_us=7):
    """A little-endian microsecond pcap (snaplen 262144, Ethernet), frames step_us apart."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        t = 1764058351 * 1000000
        for fr in frames:
            t += step_us
            f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(fr), len(fr)) + fr)
