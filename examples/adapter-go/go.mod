module example.com/sse-adapter

go 1.22
