using Switchboard.Samples.Irrigation.Hosting;

return await SampleHost.RunAsync(args);
