Console.Error.WriteLine("usage: benefit-ml generate|train|evaluate …");
return 2;
