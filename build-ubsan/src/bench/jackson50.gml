# Benchmark topology: a 50-station open Jackson network (bench/jackson50.yaml).
# Generated once by a throw-away Python script (random.seed(20)): a spine of
# forward edges from one of the 5 previous stations, so every station is
# reached; up to two more forward edges per station to one of the next 12;
# a feedback edge (p 0.05-0.1) to one of the previous 15 at about a quarter
# of the stations; forward probabilities summing to 0.7-0.85 (the rest
# exits; s50 has only exits or feedback); 1-4 exponential servers per
# station, with service means set from the traffic equations so that each
# load lies in 0.35-0.75 (shown before each node).
# Entries: s01 30/s, s08 45/s, s15 25/s, s22 60/s, s29 40/s, s36 35/s, s43 20/s;
# total 255 req/s, 3.95 visits per request, arrival rates 2.4 to 67.4 /s,
# loads 0.35 to 0.74.
graph [
  directed 1
# s01: arrivals 30.00/s, load 0.402
  node [ id 0 label "s01" servers 2 service "exp(mean=26.8ms)" ]
# s02: arrivals 13.48/s, load 0.706
  node [ id 1 label "s02" servers 3 service "exp(mean=157ms)" ]
# s03: arrivals 4.49/s, load 0.691
  node [ id 2 label "s03" servers 1 service "exp(mean=154ms)" ]
# s04: arrivals 3.84/s, load 0.355
  node [ id 3 label "s04" servers 3 service "exp(mean=277ms)" ]
# s05: arrivals 2.85/s, load 0.387
  node [ id 4 label "s05" servers 2 service "exp(mean=272ms)" ]
# s06: arrivals 9.57/s, load 0.552
  node [ id 5 label "s06" servers 1 service "exp(mean=57.7ms)" ]
# s07: arrivals 6.40/s, load 0.540
  node [ id 6 label "s07" servers 4 service "exp(mean=337ms)" ]
# s08: arrivals 48.71/s, load 0.681
  node [ id 7 label "s08" servers 4 service "exp(mean=55.9ms)" ]
# s09: arrivals 35.47/s, load 0.433
  node [ id 8 label "s09" servers 1 service "exp(mean=12.2ms)" ]
# s10: arrivals 4.30/s, load 0.744
  node [ id 9 label "s10" servers 1 service "exp(mean=173ms)" ]
# s11: arrivals 2.68/s, load 0.490
  node [ id 10 label "s11" servers 2 service "exp(mean=365ms)" ]
# s12: arrivals 2.56/s, load 0.409
  node [ id 11 label "s12" servers 3 service "exp(mean=478ms)" ]
# s13: arrivals 4.29/s, load 0.741
  node [ id 12 label "s13" servers 4 service "exp(mean=692ms)" ]
# s14: arrivals 2.63/s, load 0.655
  node [ id 13 label "s14" servers 4 service "exp(mean=995ms)" ]
# s15: arrivals 48.04/s, load 0.667
  node [ id 14 label "s15" servers 4 service "exp(mean=55.5ms)" ]
# s16: arrivals 15.11/s, load 0.418
  node [ id 15 label "s16" servers 2 service "exp(mean=55.4ms)" ]
# s17: arrivals 15.34/s, load 0.736
  node [ id 16 label "s17" servers 2 service "exp(mean=95.9ms)" ]
# s18: arrivals 2.36/s, load 0.471
  node [ id 17 label "s18" servers 3 service "exp(mean=598ms)" ]
# s19: arrivals 13.37/s, load 0.535
  node [ id 18 label "s19" servers 3 service "exp(mean=120ms)" ]
# s20: arrivals 10.09/s, load 0.699
  node [ id 19 label "s20" servers 3 service "exp(mean=208ms)" ]
# s21: arrivals 11.67/s, load 0.397
  node [ id 20 label "s21" servers 4 service "exp(mean=136ms)" ]
# s22: arrivals 65.19/s, load 0.361
  node [ id 21 label "s22" servers 1 service "exp(mean=5.54ms)" ]
# s23: arrivals 19.65/s, load 0.599
  node [ id 22 label "s23" servers 4 service "exp(mean=122ms)" ]
# s24: arrivals 5.13/s, load 0.554
  node [ id 23 label "s24" servers 4 service "exp(mean=432ms)" ]
# s25: arrivals 2.87/s, load 0.728
  node [ id 24 label "s25" servers 1 service "exp(mean=254ms)" ]
# s26: arrivals 5.37/s, load 0.738
  node [ id 25 label "s26" servers 2 service "exp(mean=275ms)" ]
# s27: arrivals 6.89/s, load 0.496
  node [ id 26 label "s27" servers 2 service "exp(mean=144ms)" ]
# s28: arrivals 4.18/s, load 0.648
  node [ id 27 label "s28" servers 1 service "exp(mean=155ms)" ]
# s29: arrivals 42.93/s, load 0.358
  node [ id 28 label "s29" servers 2 service "exp(mean=16.7ms)" ]
# s30: arrivals 17.80/s, load 0.637
  node [ id 29 label "s30" servers 1 service "exp(mean=35.8ms)" ]
# s31: arrivals 53.04/s, load 0.528
  node [ id 30 label "s31" servers 1 service "exp(mean=9.96ms)" ]
# s32: arrivals 5.29/s, load 0.476
  node [ id 31 label "s32" servers 2 service "exp(mean=180ms)" ]
# s33: arrivals 24.34/s, load 0.464
  node [ id 32 label "s33" servers 3 service "exp(mean=57.2ms)" ]
# s34: arrivals 13.24/s, load 0.539
  node [ id 33 label "s34" servers 3 service "exp(mean=122ms)" ]
# s35: arrivals 8.95/s, load 0.531
  node [ id 34 label "s35" servers 3 service "exp(mean=178ms)" ]
# s36: arrivals 39.26/s, load 0.474
  node [ id 35 label "s36" servers 3 service "exp(mean=36.2ms)" ]
# s37: arrivals 6.13/s, load 0.359
  node [ id 36 label "s37" servers 2 service "exp(mean=117ms)" ]
# s38: arrivals 14.38/s, load 0.364
  node [ id 37 label "s38" servers 1 service "exp(mean=25.3ms)" ]
# s39: arrivals 26.87/s, load 0.357
  node [ id 38 label "s39" servers 1 service "exp(mean=13.3ms)" ]
# s40: arrivals 39.36/s, load 0.689
  node [ id 39 label "s40" servers 3 service "exp(mean=52.5ms)" ]
# s41: arrivals 13.86/s, load 0.518
  node [ id 40 label "s41" servers 2 service "exp(mean=74.8ms)" ]
# s42: arrivals 25.87/s, load 0.534
  node [ id 41 label "s42" servers 2 service "exp(mean=41.3ms)" ]
# s43: arrivals 67.40/s, load 0.718
  node [ id 42 label "s43" servers 2 service "exp(mean=21.3ms)" ]
# s44: arrivals 4.71/s, load 0.384
  node [ id 43 label "s44" servers 1 service "exp(mean=81.5ms)" ]
# s45: arrivals 22.68/s, load 0.676
  node [ id 44 label "s45" servers 1 service "exp(mean=29.8ms)" ]
# s46: arrivals 16.82/s, load 0.706
  node [ id 45 label "s46" servers 3 service "exp(mean=126ms)" ]
# s47: arrivals 38.25/s, load 0.521
  node [ id 46 label "s47" servers 3 service "exp(mean=40.9ms)" ]
# s48: arrivals 34.14/s, load 0.632
  node [ id 47 label "s48" servers 2 service "exp(mean=37ms)" ]
# s49: arrivals 37.40/s, load 0.360
  node [ id 48 label "s49" servers 3 service "exp(mean=28.9ms)" ]
# s50: arrivals 57.97/s, load 0.507
  node [ id 49 label "s50" servers 4 service "exp(mean=35ms)" ]
  edge [ source 0 target 1 kind "forward" p 0.352 ]
  edge [ source 0 target 5 kind "forward" p 0.319 ]
  edge [ source 0 target 12 kind "forward" p 0.075 ]
  edge [ source 1 target 2 kind "forward" p 0.333 ]
  edge [ source 1 target 3 kind "forward" p 0.268 ]
  edge [ source 1 target 6 kind "forward" p 0.179 ]
  edge [ source 3 target 4 kind "forward" p 0.477 ]
  edge [ source 3 target 7 kind "forward" p 0.318 ]
  edge [ source 5 target 6 kind "forward" p 0.417 ]
  edge [ source 5 target 9 kind "forward" p 0.418 ]
  edge [ source 6 target 10 kind "forward" p 0.419 ]
  edge [ source 6 target 11 kind "forward" p 0.277 ]
  edge [ source 6 target 13 kind "forward" p 0.144 ]
  edge [ source 7 target 1 kind "forward" p 0.060 ]
  edge [ source 7 target 8 kind "forward" p 0.709 ]
  edge [ source 8 target 7 kind "forward" p 0.070 ]
  edge [ source 8 target 14 kind "forward" p 0.582 ]
  edge [ source 8 target 16 kind "forward" p 0.248 ]
  edge [ source 9 target 4 kind "forward" p 0.082 ]
  edge [ source 9 target 12 kind "forward" p 0.473 ]
  edge [ source 9 target 16 kind "forward" p 0.229 ]
  edge [ source 10 target 3 kind "forward" p 0.086 ]
  edge [ source 10 target 11 kind "forward" p 0.234 ]
  edge [ source 10 target 13 kind "forward" p 0.391 ]
  edge [ source 10 target 17 kind "forward" p 0.161 ]
  edge [ source 11 target 13 kind "forward" p 0.258 ]
  edge [ source 11 target 16 kind "forward" p 0.558 ]
  edge [ source 12 target 4 kind "forward" p 0.093 ]
  edge [ source 12 target 14 kind "forward" p 0.560 ]
  edge [ source 12 target 18 kind "forward" p 0.167 ]
  edge [ source 13 target 4 kind "forward" p 0.100 ]
  edge [ source 13 target 17 kind "forward" p 0.734 ]
  edge [ source 14 target 15 kind "forward" p 0.301 ]
  edge [ source 14 target 19 kind "forward" p 0.210 ]
  edge [ source 14 target 22 kind "forward" p 0.199 ]
  edge [ source 15 target 8 kind "forward" p 0.062 ]
  edge [ source 15 target 20 kind "forward" p 0.531 ]
  edge [ source 15 target 22 kind "forward" p 0.235 ]
  edge [ source 16 target 18 kind "forward" p 0.825 ]
  edge [ source 17 target 11 kind "forward" p 0.069 ]
  edge [ source 17 target 20 kind "forward" p 0.700 ]
  edge [ source 18 target 20 kind "forward" p 0.149 ]
  edge [ source 18 target 21 kind "forward" p 0.327 ]
  edge [ source 18 target 23 kind "forward" p 0.258 ]
  edge [ source 18 target 24 kind "forward" p 0.079 ]
  edge [ source 19 target 16 kind "forward" p 0.069 ]
  edge [ source 19 target 22 kind "forward" p 0.648 ]
  edge [ source 19 target 31 kind "forward" p 0.111 ]
  edge [ source 20 target 23 kind "forward" p 0.144 ]
  edge [ source 20 target 25 kind "forward" p 0.460 ]
  edge [ source 20 target 26 kind "forward" p 0.236 ]
  edge [ source 21 target 30 kind "forward" p 0.784 ]
  edge [ source 22 target 29 kind "forward" p 0.769 ]
  edge [ source 23 target 9 kind "forward" p 0.059 ]
  edge [ source 23 target 24 kind "forward" p 0.353 ]
  edge [ source 23 target 28 kind "forward" p 0.177 ]
  edge [ source 23 target 34 kind "forward" p 0.214 ]
  edge [ source 24 target 27 kind "forward" p 0.540 ]
  edge [ source 24 target 34 kind "forward" p 0.287 ]
  edge [ source 25 target 26 kind "forward" p 0.770 ]
  edge [ source 26 target 15 kind "forward" p 0.094 ]
  edge [ source 26 target 28 kind "forward" p 0.293 ]
  edge [ source 26 target 30 kind "forward" p 0.281 ]
  edge [ source 26 target 34 kind "forward" p 0.127 ]
  edge [ source 26 target 38 kind "forward" p 0.103 ]
  edge [ source 27 target 29 kind "forward" p 0.247 ]
  edge [ source 27 target 31 kind "forward" p 0.247 ]
  edge [ source 27 target 35 kind "forward" p 0.097 ]
  edge [ source 27 target 39 kind "forward" p 0.209 ]
  edge [ source 28 target 16 kind "forward" p 0.080 ]
  edge [ source 28 target 32 kind "forward" p 0.489 ]
  edge [ source 28 target 39 kind "forward" p 0.334 ]
  edge [ source 29 target 33 kind "forward" p 0.744 ]
  edge [ source 30 target 41 kind "forward" p 0.355 ]
  edge [ source 30 target 42 kind "forward" p 0.360 ]
  edge [ source 31 target 35 kind "forward" p 0.728 ]
  edge [ source 32 target 34 kind "forward" p 0.253 ]
  edge [ source 32 target 37 kind "forward" p 0.452 ]
  edge [ source 32 target 41 kind "forward" p 0.088 ]
  edge [ source 33 target 36 kind "forward" p 0.463 ]
  edge [ source 33 target 37 kind "forward" p 0.255 ]
  edge [ source 34 target 21 kind "forward" p 0.091 ]
  edge [ source 34 target 39 kind "forward" p 0.465 ]
  edge [ source 34 target 45 kind "forward" p 0.240 ]
  edge [ source 35 target 31 kind "forward" p 0.080 ]
  edge [ source 35 target 38 kind "forward" p 0.400 ]
  edge [ source 35 target 40 kind "forward" p 0.353 ]
  edge [ source 36 target 41 kind "forward" p 0.799 ]
  edge [ source 37 target 38 kind "forward" p 0.727 ]
  edge [ source 38 target 27 kind "forward" p 0.098 ]
  edge [ source 38 target 39 kind "forward" p 0.744 ]
  edge [ source 39 target 32 kind "forward" p 0.085 ]
  edge [ source 39 target 42 kind "forward" p 0.719 ]
  edge [ source 40 target 43 kind "forward" p 0.340 ]
  edge [ source 40 target 45 kind "forward" p 0.507 ]
  edge [ source 41 target 46 kind "forward" p 0.472 ]
  edge [ source 41 target 47 kind "forward" p 0.364 ]
  edge [ source 42 target 44 kind "forward" p 0.281 ]
  edge [ source 42 target 46 kind "forward" p 0.300 ]
  edge [ source 42 target 47 kind "forward" p 0.268 ]
  edge [ source 43 target 44 kind "forward" p 0.795 ]
  edge [ source 44 target 29 kind "forward" p 0.073 ]
  edge [ source 44 target 45 kind "forward" p 0.337 ]
  edge [ source 44 target 48 kind "forward" p 0.419 ]
  edge [ source 45 target 46 kind "forward" p 0.346 ]
  edge [ source 45 target 47 kind "forward" p 0.396 ]
  edge [ source 46 target 49 kind "forward" p 0.751 ]
  edge [ source 47 target 48 kind "forward" p 0.817 ]
  edge [ source 48 target 49 kind "forward" p 0.782 ]
]
