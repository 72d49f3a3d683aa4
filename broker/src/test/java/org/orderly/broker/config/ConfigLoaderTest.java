package org.orderly.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static OrderlyConfig load(List<String> args, Map<String, String> env, Properties sys) throws ConfigException {
        return ConfigLoader.load(args, env, sys);
    }

    @Test
    void defaultsFileAndSettingEnumListTheSameKeys() {
        assertEquals(Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toCollection(TreeSet::new)),
                new TreeSet<>(ConfigLoader.defaultKeys()));
    }

    @Test
    void contractDefaults() throws Exception {
        OrderlyConfig c = load(List.of(), Map.of(), new Properties());
        assertEquals("ORDERLY", c.get(Setting.AE_TITLE));
        assertEquals("0.0.0.0", c.get(Setting.BIND));
        assertEquals(11112, c.getInt(Setting.DICOM_PORT));
        assertEquals(2575, c.getInt(Setting.HL7_PORT));
        assertEquals(8080, c.getInt(Setting.HTTP_PORT));
        assertEquals("./data", c.get(Setting.DATA_DIR));
        assertEquals("./routes", c.get(Setting.ROUTES_DIR));
        assertEquals("./hl7-mappings", c.get(Setting.MAPPINGS_DIR));
        assertTrue(c.getOptional(Setting.RIS_HOST).isEmpty());
        assertTrue(c.getOptional(Setting.RIS_PORT).isEmpty());
        assertEquals(7, c.getInt(Setting.WORKLIST_RETENTION_DAYS));
        assertEquals(OrderlyConfig.Source.DEFAULT, c.source(Setting.HTTP_PORT));
    }

    @Test
    void precedenceDefaultThenEnvThenSystemPropertyThenArgument() throws Exception {
        Properties sys = new Properties();
        Map<String, String> env = Map.of("ORDERLY_DICOM_PORT", "1001", "ORDERLY_HL7_PORT", "1002", "ORDERLY_HTTP_PORT", "1003");
        sys.setProperty("orderly.hl7.port", "2002");
        sys.setProperty("orderly.http.port", "2003");
        OrderlyConfig c = load(List.of("--orderly.http.port=3003"), env, sys);
        assertEquals(1001, c.getInt(Setting.DICOM_PORT));
        assertEquals(OrderlyConfig.Source.ENVIRONMENT, c.source(Setting.DICOM_PORT));
        assertEquals(2002, c.getInt(Setting.HL7_PORT));
        assertEquals(OrderlyConfig.Source.SYSTEM_PROPERTY, c.source(Setting.HL7_PORT));
        assertEquals(3003, c.getInt(Setting.HTTP_PORT));
        assertEquals(OrderlyConfig.Source.ARGUMENT, c.source(Setting.HTTP_PORT));
        assertEquals("ORDERLY", c.get(Setting.AE_TITLE));
    }

    @Test
    void environmentNamesReplaceDotsAndDashes() throws Exception {
        assertEquals("ORDERLY_DATA_DIR", Setting.DATA_DIR.envName());
        assertEquals("ORDERLY_WORKLIST_RETENTION_DAYS", Setting.WORKLIST_RETENTION_DAYS.envName());
        OrderlyConfig c = load(List.of(), Map.of("ORDERLY_AE_TITLE", "MWL1", "ORDERLY_DATA_DIR", "/x"), new Properties());
        assertEquals("MWL1", c.get(Setting.AE_TITLE));
        assertEquals("/x", c.get(Setting.DATA_DIR));
    }

    @Test
    void lastArgumentWinsAndCamelPropertiesCarryEverySetting() throws Exception {
        OrderlyConfig c = load(List.of("--orderly.ae-title=A", "--orderly.ae-title=B"), Map.of(), new Properties());
        assertEquals("B", c.aeTitle());
        assertEquals("B", c.asProperties().getProperty("orderly.ae-title"));
        assertEquals(Setting.values().length, c.asProperties().size());
    }

    @Test
    void unknownArgumentKeyAndMalformedArgumentAreRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(List.of("--orderly.htttp.port=80"), Map.of(), new Properties()));
        assertTrue(e.getMessage().startsWith("unknown setting orderly.htttp.port"), e.getMessage());
        ConfigException m = assertThrows(ConfigException.class, () -> load(List.of("--orderly.http.port"), Map.of(), new Properties()));
        assertTrue(m.getMessage().contains("--orderly.name=value"), m.getMessage());
    }

    @Test
    void unknownEnvironmentAndSystemPropertiesAreIgnored() throws Exception {
        Properties sys = new Properties();
        sys.setProperty("orderly.fuzz.iterations", "5");
        load(List.of(), Map.of("ORDERLY_HOME", "/opt"), sys);
    }

    @Test
    void badValueMessageNamesSettingValueProblemAndSource() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(List.of(), Map.of("ORDERLY_HTTP_PORT", "abc"), new Properties()));
        assertEquals("setting orderly.http.port=abc: not a TCP port (expected a number 0..65535, 0 = any free port)"
                + " (from environment variable ORDERLY_HTTP_PORT)", e.getMessage());
    }

    @Test
    void rules() {
        assertNull(Setting.HTTP_PORT.problem("0"));
        assertNull(Setting.HTTP_PORT.problem("65535"));
        assertTrue(Setting.HTTP_PORT.problem("65536") != null);
        assertTrue(Setting.HTTP_PORT.problem("") != null);
        assertTrue(Setting.HTTP_PORT.problem("+80") != null);
        assertTrue(Setting.RIS_PORT.problem("0") != null);
        assertNull(Setting.RIS_PORT.problem(""));
        assertNull(Setting.AE_TITLE.problem("ABCDEFGHIJKLMNOP"));
        assertNull(Setting.AE_TITLE.problem(" CT 1 "));
        assertTrue(Setting.AE_TITLE.problem("ABCDEFGHIJKLMNOPQ") != null);
        assertTrue(Setting.AE_TITLE.problem("    ") != null);
        assertTrue(Setting.AE_TITLE.problem("A\\B") != null);
        assertTrue(Setting.AE_TITLE.problem("A\tB") != null);
        assertTrue(Setting.AE_TITLE.problem("ÄRZT") != null);
        assertNull(Setting.WORKLIST_PURGE_CRON.problem("0 30 2 * * ?"));
        assertTrue(Setting.WORKLIST_PURGE_CRON.problem("0 30 25 * * ?") != null);
    }

    @Test
    void validatorChecksPairsPortsAndDirectories(@TempDir Path tmp) throws Exception {
        OrderlyConfig base = load(List.of("--orderly.data-dir=" + tmp.resolve("d"), "--orderly.routes-dir=" + tmp.resolve("r"),
                "--orderly.mappings-dir=" + tmp.resolve("m"), "--orderly.bind=127.0.0.1"), Map.of(), new Properties());
        ConfigValidator.validate(base);
        assertTrue(Files.isDirectory(tmp.resolve("d")) && Files.isDirectory(tmp.resolve("r")) && Files.isDirectory(tmp.resolve("m")));
        try (var files = Files.list(tmp.resolve("d"))) {
            assertEquals(0, files.count(), "write probe removed");
        }

        ConfigValidator.validate(base.with(Setting.RIS_HOST, "ris").with(Setting.RIS_PORT, "2576"));
        assertThrows(ConfigException.class, () -> ConfigValidator.validate(base.with(Setting.RIS_HOST, "ris")));

        ConfigException same = assertThrows(ConfigException.class,
                () -> ConfigValidator.validate(base.with(Setting.DICOM_PORT, "8080")));
        assertTrue(same.getMessage().contains("same port as orderly.http.port"), same.getMessage());

        Path file = Files.writeString(tmp.resolve("f"), "x");
        ConfigException dir = assertThrows(ConfigException.class,
                () -> ConfigValidator.validate(base.with(Setting.DATA_DIR, file.resolve("sub").toString())));
        assertTrue(dir.getMessage().startsWith("setting orderly.data-dir=" + file.resolve("sub") + ": cannot create directory"),
                dir.getMessage());
        ConfigException notDir = assertThrows(ConfigException.class,
                () -> ConfigValidator.validate(base.with(Setting.ROUTES_DIR, file.toString())));
        assertTrue(notDir.getMessage().contains("exists and is not a directory"), notDir.getMessage());
    }
}
