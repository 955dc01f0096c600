package dev.mmucheck.trace;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mmucheck.tlc.TlaValue;

/**
 * Reads and writes ITF (https://apalache-mc.org/docs/adr/015adr-trace.html) as CONTRACT.md
 * fixes it: integers as JSON numbers ({"#bigint": "..."} beyond 2^53), sets as {"#set": [...]},
 * sequences (functions on 1..n, and tuples, which TLC does not tell apart) as arrays, records as
 * objects, other functions as {"#map": [[k, v], ...]}, model values as strings listed in
 * #meta.modelValues. Each state also carries Quint's "mbt::actionTaken" and "mbt::nondetPicks",
 * taken from the spec's step record.
 */
public final class Itf {
    public static final String FORMAT_VERSION = "mmucheck-itf-1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final BigInteger MAX_SAFE = BigInteger.valueOf((1L << 53) - 1);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The #meta keys this project writes, in the order written; any other key follows, sorted. */
    private static final List<String> META_ORDER = List.of("model", "config", "source", "specVersion", "mutation", "only",
            "tlcOptions", "property", "kind", "tlc");

    private Itf() {}

    public static ObjectNode toJson(ItfTrace trace) {
        ObjectNode doc = F.objectNode();
        // #meta in a fixed order (ItfTrace keeps an unordered map), so an unchanged trace has unchanged bytes
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String k : META_ORDER) if (trace.meta().containsKey(k)) ordered.put(k, trace.meta().get(k));
        new TreeSet<>(trace.meta().keySet()).forEach(k -> ordered.putIfAbsent(k, trace.meta().get(k)));
        for (String k : List.of("format", "format-description", "encoding", "modelValues")) ordered.remove(k);
        ObjectNode meta = MAPPER.valueToTree(ordered);
        meta.put("format", "ITF");
        meta.put("format-description", "https://apalache-mc.org/docs/adr/015adr-trace.html");
        meta.put("encoding", FORMAT_VERSION);
        Set<String> modelValues = new TreeSet<>();
        for (Map<String, TlaValue> s : trace.states()) for (TlaValue v : s.values()) collectModelValues(v, modelValues);
        ArrayNode mv = meta.putArray("modelValues");
        modelValues.forEach(mv::add);
        doc.set("#meta", meta);
        ArrayNode vars = doc.putArray("vars");
        trace.vars().forEach(vars::add);
        ArrayNode states = doc.putArray("states");
        int index = 0;
        for (Map<String, TlaValue> s : trace.states()) {
            ObjectNode st = states.addObject();
            st.putObject("#meta").put("index", index++);
            TlaValue step = s.get("step");
            if (step instanceof TlaValue.RecordV r && r.fields().containsKey("label")) {
                st.set("mbt::actionTaken", encode(r.get("label")));
                ObjectNode picks = st.putObject("mbt::nondetPicks");
                r.fields().forEach((k, v) -> { if (!k.equals("label")) picks.set(k, encode(v)); });
            }
            for (String var : trace.vars()) {
                TlaValue v = s.get(var);
                if (v == null) throw new IllegalArgumentException("state " + (index - 1) + " has no variable " + var);
                st.set(var, encode(v));
            }
        }
        trace.loop().ifPresent(l -> doc.put("loop", l));
        return doc;
    }

    public static void write(ItfTrace trace, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, bytes(trace));
    }

    /** The trace as this project writes it: the same trace always gives the same bytes. */
    public static byte[] bytes(ItfTrace trace) throws IOException {
        return (MAPPER.writeValueAsString(toJson(trace)).replace("\r\n", "\n") + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The bytes {@link #write} gives for the trace in {@code file}. */
    public static byte[] canonicalBytes(Path file) throws IOException {
        try {
            return bytes(read(file));
        } catch (ItfFormatException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    public static JsonNode encode(TlaValue v) {
        if (v instanceof TlaValue.Int i) {
            return i.value().abs().compareTo(MAX_SAFE) <= 0
                    ? F.numberNode(i.value().longValue())
                    : F.objectNode().put("#bigint", i.value().toString());
        }
        if (v instanceof TlaValue.Bool b) return F.booleanNode(b.value());
        if (v instanceof TlaValue.Str s) return F.textNode(s.value());
        if (v instanceof TlaValue.ModelValue m) return F.textNode(m.name());
        if (v instanceof TlaValue.SetV s) {
            ObjectNode o = F.objectNode();
            ArrayNode a = o.putArray("#set");
            s.elements().forEach(e -> a.add(encode(e)));
            return o;
        }
        if (v instanceof TlaValue.SeqV s) {
            ArrayNode a = F.arrayNode();
            s.elements().forEach(e -> a.add(encode(e)));
            return a;
        }
        if (v instanceof TlaValue.RecordV r) {
            ObjectNode o = F.objectNode();
            r.fields().forEach((k, e) -> o.set(k, encode(e)));
            return o;
        }
        TlaValue.FunctionV f = (TlaValue.FunctionV) v;
        ObjectNode o = F.objectNode();
        ArrayNode a = o.putArray("#map");
        for (TlaValue.Pair p : f.entries()) a.addArray().add(encode(p.key())).add(encode(p.value()));
        return o;
    }

    /** Adds the names of the model values in {@code v} to {@code out}. */
    public static void collectModelValues(TlaValue v, Set<String> out) {
        if (v instanceof TlaValue.ModelValue m) out.add(m.name());
        else if (v instanceof TlaValue.SetV s) s.elements().forEach(e -> collectModelValues(e, out));
        else if (v instanceof TlaValue.SeqV s) s.elements().forEach(e -> collectModelValues(e, out));
        else if (v instanceof TlaValue.RecordV r) r.fields().values().forEach(e -> collectModelValues(e, out));
        else if (v instanceof TlaValue.FunctionV f) f.entries().forEach(p -> {
            collectModelValues(p.key(), out);
            collectModelValues(p.value(), out);
        });
    }

    /** Reads a trace file; anything not of this project's ITF fails naming the file and the place. */
    public static ItfTrace read(Path file) throws IOException, ItfFormatException {
        String name = file.toString();
        JsonNode doc;
        try {
            doc = MAPPER.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ItfFormatException(name, "line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr(), "well-formed JSON (" + e.getOriginalMessage() + ")");
        }
        if (doc == null || !doc.isObject()) throw new ItfFormatException(name, "top level", "a JSON object");
        JsonNode metaNode = doc.get("#meta");
        if (metaNode == null || !metaNode.isObject()) throw new ItfFormatException(name, "#meta", "an object");
        if (!FORMAT_VERSION.equals(metaNode.path("encoding").asText()))
            throw new ItfFormatException(name, "#meta.encoding", "\"" + FORMAT_VERSION + "\", found "
                    + metaNode.get("encoding"));
        Map<String, Object> meta = MAPPER.convertValue(metaNode, MAPPER.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
        Set<String> modelValues = new HashSet<>();
        metaNode.path("modelValues").forEach(n -> modelValues.add(n.asText()));
        JsonNode varsNode = doc.get("vars");
        if (varsNode == null || !varsNode.isArray()) throw new ItfFormatException(name, "vars", "an array of names");
        List<String> vars = new ArrayList<>();
        varsNode.forEach(n -> vars.add(n.asText()));
        JsonNode statesNode = doc.get("states");
        if (statesNode == null || !statesNode.isArray() || statesNode.isEmpty())
            throw new ItfFormatException(name, "states", "a non-empty array of states");
        List<Map<String, TlaValue>> states = new ArrayList<>();
        for (int k = 0; k < statesNode.size(); k++) {
            JsonNode st = statesNode.get(k);
            if (!st.isObject()) throw new ItfFormatException(name, "states[" + k + "]", "an object");
            Map<String, TlaValue> state = new LinkedHashMap<>();
            for (String var : vars) {
                JsonNode v = st.get(var);
                if (v == null) throw new ItfFormatException(name, "states[" + k + "]", "variable '" + var + "'");
                state.put(var, decode(v, modelValues, name, "states[" + k + "]." + var));
            }
            states.add(state);
        }
        Optional<Integer> loop = Optional.empty();
        if (doc.has("loop")) {
            JsonNode l = doc.get("loop");
            if (!l.canConvertToInt() || l.asInt() < 0 || l.asInt() >= states.size())
                throw new ItfFormatException(name, "loop", "a state index in 0.." + (states.size() - 1));
            loop = Optional.of(l.asInt());
        }
        return new ItfTrace(meta, vars, states, loop);
    }

    /** One ITF value; strings in {@code modelValues} are model values. */
    public static TlaValue decode(JsonNode n, Set<String> modelValues, String file, String where) throws ItfFormatException {
        if (n.isBoolean()) return new TlaValue.Bool(n.asBoolean());
        if (n.isIntegralNumber()) return new TlaValue.Int(n.bigIntegerValue());
        if (n.isTextual()) return modelValues.contains(n.asText())
                ? new TlaValue.ModelValue(n.asText()) : new TlaValue.Str(n.asText());
        if (n.isArray()) {
            List<TlaValue> elems = new ArrayList<>();
            for (int k = 0; k < n.size(); k++) elems.add(decode(n.get(k), modelValues, file, where + "[" + k + "]"));
            return new TlaValue.SeqV(elems);
        }
        if (n.isObject()) {
            if (n.has("#bigint")) {
                try {
                    return new TlaValue.Int(new BigInteger(n.get("#bigint").asText()));
                } catch (NumberFormatException e) {
                    throw new ItfFormatException(file, where + ".#bigint", "a decimal integer string");
                }
            }
            if (n.has("#set")) {
                JsonNode a = n.get("#set");
                if (!a.isArray()) throw new ItfFormatException(file, where + ".#set", "an array");
                List<TlaValue> elems = new ArrayList<>();
                for (int k = 0; k < a.size(); k++) elems.add(decode(a.get(k), modelValues, file, where + ".#set[" + k + "]"));
                return new TlaValue.SetV(elems);
            }
            if (n.has("#map")) {
                JsonNode a = n.get("#map");
                if (!a.isArray()) throw new ItfFormatException(file, where + ".#map", "an array of [key, value] pairs");
                List<TlaValue.Pair> entries = new ArrayList<>();
                for (int k = 0; k < a.size(); k++) {
                    JsonNode p = a.get(k);
                    if (!p.isArray() || p.size() != 2)
                        throw new ItfFormatException(file, where + ".#map[" + k + "]", "a [key, value] pair");
                    entries.add(new TlaValue.Pair(decode(p.get(0), modelValues, file, where + ".#map[" + k + "][0]"),
                            decode(p.get(1), modelValues, file, where + ".#map[" + k + "][1]")));
                }
                return new TlaValue.FunctionV(entries);
            }
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("#"))
                    throw new ItfFormatException(file, where + "." + e.getKey(), "#bigint, #set or #map");
                fields.put(e.getKey(), decode(e.getValue(), modelValues, file, where + "." + e.getKey()));
            }
            return new TlaValue.RecordV(fields);
        }
        throw new ItfFormatException(file, where, "a TLA+ value (boolean, integer, string, array or object), found " + n);
    }
}
