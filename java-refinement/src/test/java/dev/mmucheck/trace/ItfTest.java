package dev.mmucheck.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mmucheck.tlc.TlaValue;

class ItfTest {
    @TempDir Path dir;

    private static ItfTrace sample() {
        TlaValue.ModelValue i1 = new TlaValue.ModelValue("i1");
        Map<String, TlaValue> s0 = new LinkedHashMap<>();
        s0.put("seq", TlaValue.Int.of(2));
        s0.put("big", new TlaValue.Int(BigInteger.ONE.shiftLeft(70)));
        s0.put("tree", new TlaValue.SetV(List.of(new TlaValue.ModelValue("n1"))));
        s0.put("flist", new TlaValue.SeqV(List.of()));
        s0.put("pc", new TlaValue.FunctionV(List.of(new TlaValue.Pair(i1, new TlaValue.Str("inv_start_range")))));
        s0.put("err", new TlaValue.Bool(false));
        s0.put("step", new TlaValue.RecordV(Map.of("proc", i1, "label", new TlaValue.Str("init"))));
        Map<String, TlaValue> s1 = new LinkedHashMap<>(s0);
        s1.put("seq", TlaValue.Int.of(3));
        return new ItfTrace(Map.of("model", "unit", "property", "P"), List.copyOf(s0.keySet()), List.of(s0, s1), Optional.of(0));
    }

    @Test
    void everyValueKindSurvivesAWriteAndARead() throws Exception {
        Path f = dir.resolve("t.itf.json");
        Itf.write(sample(), f);
        ItfTrace back = Itf.read(f);
        assertEquals(sample().states(), back.states());
        assertEquals(Optional.of(0), back.loop());
        assertEquals("P", back.metaString("property"));
        String text = Files.readString(f);
        assertTrue(text.contains("\"#bigint\""), "2^70 is written as #bigint");
        assertTrue(text.contains("\"mbt::actionTaken\""), "the step record is also written as Quint's mbt fields");
    }

    @Test
    void malformedJsonNamesTheFileAndTheLine() throws Exception {
        Path f = dir.resolve("bad.itf.json");
        Files.writeString(f, "{\n  \"#meta\": {\n  oops\n}");
        ItfFormatException e = assertThrows(ItfFormatException.class, () -> Itf.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void aTraceOfAnotherEncodingIsRejected() throws Exception {
        Path f = dir.resolve("other.itf.json");
        Files.writeString(f, "{\"#meta\": {\"encoding\": \"apalache\"}, \"vars\": [], \"states\": [{}]}");
        ItfFormatException e = assertThrows(ItfFormatException.class, () -> Itf.read(f));
        assertTrue(e.getMessage().contains("#meta.encoding"), e.getMessage());
    }

    @Test
    void aMissingVariableNamesTheState() throws Exception {
        Path f = dir.resolve("t.itf.json");
        Itf.write(sample(), f);
        String text = Files.readString(f).replaceFirst("\"seq\" : 3", "\"qes\" : 3");
        Files.writeString(f, text);
        ItfFormatException e = assertThrows(ItfFormatException.class, () -> Itf.read(f));
        assertTrue(e.getMessage().contains("states[1]") && e.getMessage().contains("'seq'"), e.getMessage());
    }

    @Test
    void aLoopOutsideTheTraceIsRejected() throws Exception {
        Path f = dir.resolve("t.itf.json");
        Itf.write(sample(), f);
        Files.writeString(f, Files.readString(f).replace("\"loop\" : 0", "\"loop\" : 7"));
        ItfFormatException e = assertThrows(ItfFormatException.class, () -> Itf.read(f));
        assertTrue(e.getMessage().contains("loop"), e.getMessage());
    }

    /** ItfTrace keeps #meta as an unordered map; the bytes written must not depend on the order it was built in. */
    @Test
    void theSameTraceAlwaysGivesTheSameBytes() throws Exception {
        ItfTrace t = sample();
        Map<String, Object> forward = new LinkedHashMap<>(), backward = new LinkedHashMap<>();
        List<String> keys = List.of("model", "config", "specVersion", "mutation", "property", "kind", "tlc", "zeta", "alpha");
        for (String k : keys) forward.put(k, k + "-value");
        for (int j = keys.size() - 1; j >= 0; j--) backward.put(keys.get(j), keys.get(j) + "-value");
        byte[] a = Itf.bytes(new ItfTrace(forward, t.vars(), t.states(), t.loop()));
        byte[] b = Itf.bytes(new ItfTrace(backward, t.vars(), t.states(), t.loop()));
        assertEquals(new String(a, java.nio.charset.StandardCharsets.UTF_8), new String(b, java.nio.charset.StandardCharsets.UTF_8));
        String text = new String(a, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.indexOf("\"model\"") < text.indexOf("\"config\"") && text.indexOf("\"tlc\"") < text.indexOf("\"alpha\"")
                && text.indexOf("\"alpha\"") < text.indexOf("\"zeta\""), "known keys in their order, then the rest sorted: " + text);
        Path f = dir.resolve("c.itf.json");
        Itf.write(new ItfTrace(backward, t.vars(), t.states(), t.loop()), f);
        assertTrue(java.util.Arrays.equals(a, Itf.canonicalBytes(f)), "a written trace is already canonical");
    }
}
