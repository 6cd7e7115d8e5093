package io.modelcast.job;

import io.modelcast.cli.ExitCodes;
import io.modelcast.cli.ManifestVersion;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs the job in an embedded Flink mini cluster, with the Flink web UI, in this JVM: the job's
 * options plus {@code --web-port} and {@code --flink-conf}. Started by {@code bin/job-local}.
 * Needs the Flink jars the job jar leaves out (they are {@code provided}) on the class path.
 * Unless the configuration names one, checkpoints go to {@code $MODELCAST_VAR_DIR/checkpoints}
 * ({@code ./var/checkpoints} by default).
 */
@Command(
        name = "job-local",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
            "Runs the modelcast job, with the options it takes on a cluster, in an embedded Flink"
                    + " mini cluster with the web UI on 127.0.0.1."
        })
public final class LocalJob {

    @Mixin JobArguments job;

    @Option(names = "--web-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Port of the Flink web UI, on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
    int webPort;

    @Option(names = "--flink-conf", paramLabel = "DIR",
            description = "Directory with the Flink config.yaml to run with (checkpointing, state backend,"
                    + " restart strategy). Default: the FLINK_CONF_DIR environment variable, if set.")
    Path flinkConf;

    public static void main(String[] args) throws Exception {
        LocalJob local = new LocalJob();
        StreamExecutionEnvironment env;
        try {
            Optional<CommandLine> parsed =
                    JobArguments.parse(local, args, new PrintWriter(System.out, true, StandardCharsets.UTF_8));
            if (parsed.isEmpty()) {
                return;
            }
            JobOptions options = local.job.toOptions(parsed.get().getParseResult());
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(local.configuration());
            ModelcastJob.build(env, options);
        } catch (IllegalArgumentException e) {
            // Wrong options, or a directory, topic or database they name that is not there: one
            // line saying what to change, and the usage exit code.
            System.err.println("job-local: " + e.getMessage());
            System.exit(ExitCodes.USAGE);
            return;
        }
        env.execute(ModelcastJob.JOB_NAME);
    }

    Configuration configuration() {
        Path confDir = flinkConf;
        if (confDir == null && System.getenv("FLINK_CONF_DIR") != null) {
            confDir = Path.of(System.getenv("FLINK_CONF_DIR"));
        }
        Configuration conf = new Configuration();
        if (confDir != null) {
            if (!Files.isRegularFile(confDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME))) {
                throw new IllegalArgumentException(
                        "--flink-conf " + confDir + " has no " + GlobalConfiguration.FLINK_CONF_FILENAME);
            }
            conf = GlobalConfiguration.loadConfiguration(confDir.toString());
        }
        // Checkpoints in JobManager memory are capped at 5 MiB per subtask, less than a large model.
        if (!conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            String varDir = System.getenv().getOrDefault("MODELCAST_VAR_DIR", "var");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    Path.of(varDir, "checkpoints").toAbsolutePath().toUri().toString());
        }
        // The embedded cluster sizes its slots to the job; a cluster's slot count would not fit.
        conf.removeConfig(TaskManagerOptions.NUM_TASK_SLOTS);
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, webPort);
        return conf;
    }
}
