using System.CommandLine;

var root = new RootCommand("Switchboard: service discovery and resilient service-to-service calls for .NET.");
return root.Parse(args).Invoke();
