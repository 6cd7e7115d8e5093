package io.modelcast.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version} for the modelcast tools: the version in the runnable jar's manifest. */
public final class ManifestVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = ManifestVersion.class.getPackage().getImplementationVersion();
        return new String[] {"modelcast " + (version != null ? version : "(development build)")};
    }
}
